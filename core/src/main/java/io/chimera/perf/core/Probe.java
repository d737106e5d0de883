package io.chimera.perf.core;

import java.util.Map;
import java.util.Objects;

/**
 * How a PERF-008 value is read from the meters of a {@code MeterRegistry}: which meter, which tags
 * must match, how matching meters are grouped, and what is computed from each group. The {@link
 * PerformanceReview} evaluates every group and reports the worst one, so a single bad cache or pool
 * is never averaged away by healthy ones.
 *
 * @param kind what is computed from the matching meters
 * @param meter the Micrometer meter name, one of {@link MetricNames}
 * @param tags tags a meter must carry (exact values) to be read
 * @param groupBy tag key that splits matching meters into groups, or empty for one group
 * @param quantile the quantile in (0, 1) for {@link Kind#TIMER_QUANTILE}, otherwise 0
 */
public record Probe(
    Kind kind, String meter, Map<String, String> tags, String groupBy, double quantile) {

  /** What a probe computes from the meters of one group. */
  public enum Kind {
    /** The sum of the gauges in a group (a group of one gauge is that gauge). */
    GAUGE,
    /** The largest of the gauges in a group, for ratios that must not add up (utilization). */
    GAUGE_MAX,
    /** Total time over count of the timers in a group, in seconds. */
    TIMER_MEAN,
    /** A quantile interpolated from the histogram buckets of the timers in a group, in seconds. */
    TIMER_QUANTILE,
    /** Count of timers whose outcome tag is not {@code success}, over the count of all. */
    FAILURE_RATIO
  }

  /**
   * Validates the fields.
   *
   * @throws NullPointerException if any reference is null
   * @throws IllegalArgumentException if the quantile does not fit the kind
   */
  public Probe {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(meter, "meter");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(groupBy, "groupBy");
    if ((kind == Kind.TIMER_QUANTILE) != (quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException(
          "quantile "
              + quantile
              + " does not fit kind "
              + kind
              + " (0 < q < 1 only for quantiles)");
    }
  }

  /**
   * Gauges named {@code meter} carrying {@code tags}, one group per value of {@code groupBy}.
   *
   * @param meter meter name
   * @param groupBy tag key to group by, or empty
   * @param tags alternating tag keys and values
   * @return the probe
   */
  public static Probe gauge(String meter, String groupBy, String... tags) {
    return new Probe(Kind.GAUGE, meter, pairs(tags), groupBy, 0);
  }

  /**
   * The largest of the gauges named {@code meter} carrying {@code tags}, one group per value of
   * {@code groupBy}.
   *
   * @param meter meter name
   * @param groupBy tag key to group by, or empty
   * @param tags alternating tag keys and values
   * @return the probe
   */
  public static Probe gaugeMax(String meter, String groupBy, String... tags) {
    return new Probe(Kind.GAUGE_MAX, meter, pairs(tags), groupBy, 0);
  }

  /**
   * Mean duration of the timers named {@code meter}, one group per value of {@code groupBy}.
   *
   * @param meter meter name
   * @param groupBy tag key to group by, or empty
   * @param tags alternating tag keys and values
   * @return the probe
   */
  public static Probe timerMean(String meter, String groupBy, String... tags) {
    return new Probe(Kind.TIMER_MEAN, meter, pairs(tags), groupBy, 0);
  }

  /**
   * A quantile of the timers named {@code meter}, from their histogram buckets.
   *
   * @param meter meter name
   * @param quantile quantile in (0, 1)
   * @param tags alternating tag keys and values
   * @return the probe
   */
  public static Probe timerQuantile(String meter, double quantile, String... tags) {
    return new Probe(Kind.TIMER_QUANTILE, meter, pairs(tags), "", quantile);
  }

  /**
   * Share of non-success outcomes among the timers named {@code meter}.
   *
   * @param meter meter name
   * @param groupBy tag key to group by, or empty
   * @return the probe
   */
  public static Probe failureRatio(String meter, String groupBy) {
    return new Probe(Kind.FAILURE_RATIO, meter, Map.of(), groupBy, 0);
  }

  private static Map<String, String> pairs(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("tags must be key/value pairs, got " + keyValues.length);
    }
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
