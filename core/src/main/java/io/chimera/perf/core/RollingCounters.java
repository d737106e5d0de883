package io.chimera.perf.core;

import io.chimera.perf.core.internal.OwnedCounter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A fixed set of counters with both cumulative totals and totals over a sliding time window, for
 * the PERF-008 values stated as ratios and rates ("hit ratio over the last 60 s", "trips per second
 * over the last 5 minutes").
 *
 * <p>The record path is one {@link LongAdder} increment: no clock read, no lock, no allocation, and
 * it scales across threads. Series created as owned ({@link #create(int, Duration, Ticker,
 * int...)}) can also count through an {@link OwnedCounter}, a plain write without an atomic
 * instruction. Window totals come from snapshots of the cumulative counts taken every {@code window
 * / 60}: by a shared daemon thread when the ticker is {@link Ticker#system()}, and by every read. A
 * window value therefore covers between {@code window} and {@code window + resolution} of history
 * (less while the counters are younger than the window). With a fake ticker nothing runs in the
 * background; tests move time and read.
 *
 * <pre>{@code
 * RollingCounters hits = RollingCounters.create(2, Duration.ofSeconds(60), Ticker.system());
 * hits.increment(found ? 0 : 1);                 // hot path
 * double ratio = hits.ratio(0, 0, 1);             // hits / (hits + misses) over the last 60 s
 * }</pre>
 *
 * <p>Thread-safe. Reads synchronize with each other, never with writers.
 */
public final class RollingCounters {

  /** Snapshots per window. */
  static final int BUCKETS = 60;

  private final LongAdder[] totals;
  private final @Nullable OwnedCounter[] owned;
  private final Ticker ticker;
  private final long windowNanos;
  private final long resolutionNanos;

  // Ring of snapshots of the cumulative totals; guarded by this.
  private final long[] snapshotTimes;
  private final long[][] snapshotValues;
  private int newest;
  private int size;

  private RollingCounters(int series, Duration window, Ticker ticker, int[] ownedSeries) {
    this.ticker = ticker;
    this.windowNanos = window.toNanos();
    this.resolutionNanos = Math.max(1, windowNanos / BUCKETS);
    this.totals = new LongAdder[series];
    for (int i = 0; i < series; i++) {
      totals[i] = new LongAdder();
    }
    this.owned = new OwnedCounter[series];
    for (int s : ownedSeries) {
      owned[s] = new OwnedCounter();
    }
    int capacity = BUCKETS + 2;
    this.snapshotTimes = new long[capacity];
    this.snapshotValues = new long[capacity][series];
    this.snapshotTimes[0] = ticker.read();
    this.size = 1;
  }

  /**
   * Creates counters.
   *
   * @param series how many counters, at least 1
   * @param window the sliding window, at least 1 ms
   * @param ticker the time source
   * @return the counters, registered with the shared sampler when {@code ticker} is the system one
   * @throws IllegalArgumentException if {@code series < 1} or the window is shorter than 1 ms
   */
  public static RollingCounters create(int series, Duration window, Ticker ticker) {
    return create(series, window, ticker, new int[0]);
  }

  /**
   * Creates counters of which some are also counted through an {@link OwnedCounter}: for the
   * hottest path, {@link #owned(int)} of such a series adds without an atomic instruction, and its
   * totals and windows include those increments ({@link #increment(int)} still works too).
   *
   * @param series how many counters, at least 1
   * @param window the sliding window, at least 1 ms
   * @param ticker the time source
   * @param ownedSeries the counter indexes that get an {@link OwnedCounter}
   * @return the counters, registered with the shared sampler when {@code ticker} is the system one
   * @throws IllegalArgumentException if {@code series < 1}, the window is shorter than 1 ms, or an
   *     owned index is outside {@code 0..series-1}
   */
  public static RollingCounters create(
      int series, Duration window, Ticker ticker, int... ownedSeries) {
    if (series < 1) {
      throw new IllegalArgumentException("series must be at least 1, got " + series);
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(ticker, "ticker");
    if (window.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("window must be at least 1ms, got " + window);
    }
    for (int s : ownedSeries) {
      if (s < 0 || s >= series) {
        throw new IllegalArgumentException(
            "owned series must be within 0.." + (series - 1) + ", got " + s);
      }
    }
    RollingCounters counters = new RollingCounters(series, window, ticker, ownedSeries.clone());
    if (ticker == Ticker.system()) {
      WindowSampler.register(counters);
    }
    return counters;
  }

  /**
   * Returns the {@link OwnedCounter} of a series created as owned; increments on it count in that
   * series.
   *
   * @param series the counter index
   * @return its owned counter
   * @throws IllegalArgumentException if the series was not created as owned
   */
  public OwnedCounter owned(int series) {
    OwnedCounter o = owned[series];
    if (o == null) {
      throw new IllegalArgumentException("series " + series + " was not created as owned");
    }
    return o;
  }

  /**
   * Adds one to a counter.
   *
   * @param series the counter index
   */
  public void increment(int series) {
    totals[series].increment();
  }

  /**
   * Adds {@code delta} to a counter.
   *
   * @param series the counter index
   * @param delta the amount, normally positive
   */
  public void add(int series, long delta) {
    totals[series].add(delta);
  }

  /**
   * Returns a counter's total since creation; suitable for a Micrometer {@code FunctionCounter}.
   *
   * @param series the counter index
   * @return the cumulative total
   */
  public long total(int series) {
    OwnedCounter o = owned[series];
    return o == null ? totals[series].sum() : totals[series].sum() + o.sum();
  }

  /**
   * Returns how much a counter grew over the window.
   *
   * @param series the counter index
   * @return the growth over the window
   */
  public synchronized long inWindow(int series) {
    long now = ticker.read();
    sample(now);
    return total(series) - snapshotValues[base(now)][series];
  }

  /**
   * Returns {@code numerator / (sum of denominators)} over the window, or NaN when the denominator
   * did not grow.
   *
   * @param numerator the counter index of the numerator
   * @param denominators the counter indexes whose sum is the denominator
   * @return the windowed ratio, or NaN
   */
  public synchronized double ratio(int numerator, int... denominators) {
    long now = ticker.read();
    sample(now);
    long[] base = snapshotValues[base(now)];
    // Read the numerator once and reuse it where it is also a denominator, so a ratio read while
    // writers run stays within 0..1.
    long num = total(numerator) - base[numerator];
    long den = 0;
    for (int d : denominators) {
      den += d == numerator ? num : total(d) - base[d];
    }
    if (den <= 0) {
      return Double.NaN;
    }
    return (double) num / den;
  }

  /**
   * Returns a counter's growth per second over the window (over the counters' age while they are
   * younger than the window), or 0 before any time has passed.
   *
   * @param series the counter index
   * @return events per second
   */
  public synchronized double ratePerSecond(int series) {
    long now = ticker.read();
    sample(now);
    int base = base(now);
    long elapsed = now - snapshotTimes[base];
    if (elapsed <= 0) {
      return 0;
    }
    return (total(series) - snapshotValues[base][series]) * 1e9 / elapsed;
  }

  /**
   * Returns the window length.
   *
   * @return the window
   */
  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /** Takes a snapshot if one is due; called by the shared sampler. */
  synchronized void sampleNow() {
    sample(ticker.read());
  }

  private void sample(long now) {
    if (now - snapshotTimes[newest] < resolutionNanos) {
      return;
    }
    int slot = (newest + 1) % snapshotTimes.length;
    snapshotTimes[slot] = now;
    long[] values = snapshotValues[slot];
    for (int i = 0; i < values.length; i++) {
      values[i] = total(i);
    }
    newest = slot;
    if (size < snapshotTimes.length) {
      size++;
    }
  }

  /** The newest snapshot at least a window old, else the oldest one kept. */
  private int base(long now) {
    int oldest = (newest - size + 1 + snapshotTimes.length) % snapshotTimes.length;
    for (int i = 0; i < size; i++) {
      int slot = (newest - i + snapshotTimes.length) % snapshotTimes.length;
      if (now - snapshotTimes[slot] >= windowNanos) {
        return slot;
      }
    }
    return oldest;
  }
}
