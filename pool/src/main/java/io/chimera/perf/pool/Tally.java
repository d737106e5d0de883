package io.chimera.perf.pool;

import io.micrometer.core.instrument.FunctionTimer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times something happened and how long it took in total, recorded with {@link LongAdder}
 * adds and read by a {@link FunctionTimer} at scrape time: the pools' timers that need a mean and a
 * count but no histogram (a shared histogram costs more per record than a pool acquire).
 */
final class Tally {
  private final LongAdder count = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  /** Counts one occurrence that took {@code nanos}. */
  void record(long nanos) {
    count.increment();
    if (nanos > 0) {
      this.nanos.add(nanos);
    }
  }

  long count() {
    return count.sum();
  }

  double totalNanos() {
    return nanos.sum();
  }

  /** A function-timer builder over this tally. */
  FunctionTimer.Builder<Tally> timer(String name) {
    return FunctionTimer.builder(name, this, Tally::count, Tally::totalNanos, TimeUnit.NANOSECONDS);
  }
}
