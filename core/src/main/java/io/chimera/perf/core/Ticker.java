package io.chimera.perf.core;

/**
 * A source of monotonic nanoseconds. Every time-dependent part of chimera-perf takes one, so tests
 * move time forward by hand instead of sleeping.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * Ticker fake = now::get;
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current time in nanoseconds from an arbitrary origin; only differences matter.
   *
   * @return nanoseconds
   */
  long read();

  /**
   * Returns the ticker backed by {@link System#nanoTime()}.
   *
   * @return the system ticker
   */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** The {@link System#nanoTime()} ticker; a named singleton so windows can recognise it. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
