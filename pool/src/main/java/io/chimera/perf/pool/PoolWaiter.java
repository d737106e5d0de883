package io.chimera.perf.pool;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/** A thread waiting in line for a connection; a releaser hands an entry over by CAS. */
final class PoolWaiter {
  static final Object CANCELLED = new Object();
  private static final AtomicReferenceFieldUpdater<PoolWaiter, Object> SLOT =
      AtomicReferenceFieldUpdater.newUpdater(PoolWaiter.class, Object.class, "slot");

  final Thread thread;
  private volatile Object slot;

  PoolWaiter(Thread thread) {
    this.thread = thread;
  }

  /** Offers an entry; false if this waiter gave up or was served already. */
  boolean offer(PoolEntry<?> entry) {
    return SLOT.compareAndSet(this, null, entry);
  }

  /** Gives up; false if an entry was handed over first (then the caller owns it). */
  boolean cancel() {
    return SLOT.compareAndSet(this, null, CANCELLED);
  }

  /** The handed-over entry, or null (or {@link #CANCELLED}). */
  Object slot() {
    return slot;
  }

  /** Back to waiting, after a handed-over entry turned out unusable. */
  void reset() {
    slot = null;
  }
}
