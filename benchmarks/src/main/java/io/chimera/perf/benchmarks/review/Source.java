package io.chimera.perf.benchmarks.review;

import io.chimera.perf.core.Perf008.Direction;
import java.io.IOException;
import java.util.Map;

/** Where a review reads its values: a single {@code /metrics} scrape, or a Prometheus server. */
interface Source {

  /** A measured value and which cache, pool or provider it came from (empty when global). */
  record Measurement(double value, String subject) {
    static final Measurement NONE = new Measurement(Double.NaN, "");
  }

  /**
   * Measures a check: the worst subject's value, or {@link Measurement#NONE} when there is no data
   * (or this source cannot answer the check at all).
   */
  Measurement measure(Check check) throws IOException, InterruptedException;

  /** What the report says the values were read from. */
  String describe();

  /** The worst non-NaN value among subjects, and which subject it was. */
  static Measurement worst(Map<String, Double> bySubject, Direction direction) {
    double worst = Double.NaN;
    String subject = "";
    for (Map.Entry<String, Double> e : bySubject.entrySet()) {
      double v = e.getValue();
      if (Double.isNaN(v)) {
        continue;
      }
      if (Double.isNaN(worst)
          || (direction == Direction.HIGHER_IS_BETTER ? v < worst : v > worst)) {
        worst = v;
        subject = e.getKey();
      }
    }
    return new Measurement(worst, subject);
  }
}
