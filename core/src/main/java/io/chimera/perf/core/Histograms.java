package io.chimera.perf.core;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Quantiles from cumulative histogram buckets, computed the way PromQL's {@code histogram_quantile}
 * does, so in-process reviews and Prometheus agree.
 *
 * <pre>{@code
 * NavigableMap<Double, Double> buckets = new TreeMap<>(Map.of(0.1, 50.0, 0.5, 100.0));
 * double p95 = Histograms.quantile(buckets, 0.95); // 0.46
 * }</pre>
 */
public final class Histograms {

  private Histograms() {}

  /**
   * Merges the buckets of several timers that share bucket boundaries and interpolates quantile
   * {@code q} in seconds, or NaN when they have recorded nothing or publish no histogram.
   */
  static double quantileSeconds(Collection<Timer> timers, double q) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (Timer timer : timers) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      double finite = 0;
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        buckets.merge(bucket.bucket(TimeUnit.SECONDS), bucket.count(), Double::sum);
        finite = Math.max(finite, bucket.count());
      }
      // Micrometer lists no +Inf bucket: calls above the top bound count only in count(), and
      // leaving them out would understate the quantile (PromQL would not).
      buckets.merge(
          Double.POSITIVE_INFINITY, Math.max(finite, (double) snapshot.count()), Double::sum);
    }
    return quantile(buckets, q);
  }

  /**
   * Interpolates quantile {@code q} from cumulative bucket counts keyed by upper bound: linear
   * within the bucket that holds the rank, the highest finite bound when the rank lies beyond it.
   *
   * @param cumulative cumulative counts keyed by bucket upper bound (may include +Inf)
   * @param q the quantile, 0..1
   * @return the quantile, or NaN when the buckets are empty or count nothing
   */
  public static double quantile(NavigableMap<Double, Double> cumulative, double q) {
    if (cumulative.isEmpty()) {
      return Double.NaN;
    }
    double total = cumulative.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double upper = e.getKey();
      double count = e.getValue();
      if (count >= rank) {
        if (Double.isInfinite(upper)) {
          return lowerBound;
        }
        double inBucket = count - lowerCount;
        if (inBucket <= 0) {
          return upper;
        }
        return lowerBound + (upper - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = upper;
      lowerCount = count;
    }
    return lowerBound;
  }
}
