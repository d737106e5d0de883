package io.chimera.perf.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker thread's own counts and totals for the worker-pool timers: written only by that thread
 * with opaque stores (no CAS and no fence per task, where a {@link Tally} costs two), summed with
 * the shared tallies by the meters at scrape time. Tasks that other threads run or end (a caller, a
 * job stealing its own part, the deadline sweeper, a cancel) count on the shared tallies.
 */
final class WorkerTallies {

  /** The series after the task outcomes: queue wait. */
  static final int QUEUE_WAIT = WorkerPoolMeters.OUTCOME_COUNT;

  private static final int SERIES = QUEUE_WAIT + 1;

  /** Longs of padding each side, so two workers' slots never share a cache line. */
  private static final int PAD = 8;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] slots = new long[PAD + 2 * SERIES + PAD];

  /** Counts one event of {@code series} that took {@code nanos}; only the owning thread calls. */
  void record(int series, long nanos) {
    int i = PAD + 2 * series;
    SLOT.setOpaque(slots, i, slots[i] + 1);
    if (nanos > 0) {
      SLOT.setOpaque(slots, i + 1, slots[i + 1] + nanos);
    }
  }

  long count(int series) {
    return (long) SLOT.getOpaque(slots, PAD + 2 * series);
  }

  long nanos(int series) {
    return (long) SLOT.getOpaque(slots, PAD + 2 * series + 1);
  }
}
