package io.chimera.perf.core;

/**
 * The health of a component, as {@code /health} reports it and as the {@code *.health} gauges
 * encode it (1, 0.5, 0).
 */
public enum Health {
  /** Working normally. */
  UP(1.0),
  /** Serving, with reduced capability (for example a cache whose Redis tier is unreachable). */
  DEGRADED(0.5),
  /** Not serving. */
  DOWN(0.0);

  private final double gaugeValue;

  Health(double gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /**
   * Returns the value a health gauge reports for this state.
   *
   * @return 1, 0.5 or 0
   */
  public double gaugeValue() {
    return gaugeValue;
  }

  /**
   * Returns the worse of this and {@code other}.
   *
   * @param other another health
   * @return the worse one
   */
  public Health worst(Health other) {
    return other.gaugeValue < gaugeValue ? other : this;
  }
}
