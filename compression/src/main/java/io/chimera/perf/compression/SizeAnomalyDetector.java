package io.chimera.perf.compression;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Flags response sizes far outside the usual ones.
 *
 * <p>Sizes are heavy-tailed, so the detector works on {@code log2(size + 1)}. It keeps an
 * exponentially weighted mean and variance of that value (weight {@value #ALPHA_INVERSE}: roughly
 * the last few hundred responses dominate). After a warm-up of {@value #WARMUP} responses a size is
 * an anomaly when its log2 lies more than {@value #Z_SCORE} standard deviations from the mean
 * <em>and</em> at least {@value #MIN_LOG2_DEVIATION} from it, i.e. at least 4x smaller or larger
 * than the usual size, so a very steady stream of sizes does not flag every small wobble. Anomalies
 * still update the statistics, so a lasting change of size is learned and stops being flagged.
 *
 * <p>Lock-free and allocation-free; concurrent updates may occasionally overwrite one another,
 * which loses one sample's weight and nothing else.
 */
final class SizeAnomalyDetector {

  static final int ALPHA_INVERSE = 256;
  static final int WARMUP = 64;
  static final double Z_SCORE = 4.0;
  static final double MIN_LOG2_DEVIATION = 2.0;

  private static final double ALPHA = 1.0 / ALPHA_INVERSE;
  private static final double INV_LN2 = 1.0 / Math.log(2);

  private final AtomicLong count = new AtomicLong();
  private final AtomicLong meanBits = new AtomicLong();
  private final AtomicLong varianceBits = new AtomicLong();

  /** Records one response size; returns whether it is an anomaly. */
  boolean observe(long size) {
    double x = Math.log1p((double) Math.max(0, size)) * INV_LN2;
    long n = count.getAndIncrement();
    if (n == 0) {
      meanBits.set(Double.doubleToRawLongBits(x));
      return false;
    }
    double mean = Double.longBitsToDouble(meanBits.get());
    double variance = Double.longBitsToDouble(varianceBits.get());
    double d = x - mean;
    // During warm-up use the plain running mean so early samples are not overweighted.
    double alpha = n < ALPHA_INVERSE ? 1.0 / (n + 1) : ALPHA;
    meanBits.set(Double.doubleToRawLongBits(mean + alpha * d));
    varianceBits.set(Double.doubleToRawLongBits((1 - alpha) * (variance + alpha * d * d)));
    return n >= WARMUP && Math.abs(d) > Math.max(Z_SCORE * Math.sqrt(variance), MIN_LOG2_DEVIATION);
  }

  /** The current mean of log2(size + 1), for tests. */
  double meanLog2() {
    return Double.longBitsToDouble(meanBits.get());
  }
}
