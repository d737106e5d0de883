package io.chimera.perf.pool;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** One pooled connection and its state; the state is claimed by CAS, never under a lock. */
final class PoolEntry<C> {
  static final int IDLE = 0;
  static final int IN_USE = 1;

  /** Claimed by the housekeeper (validation, retirement). */
  static final int RESERVED = 2;

  static final int RETIRED = 3;

  @SuppressWarnings({"unchecked", "rawtypes"}) // the updater of a generic class has a raw type
  private static final AtomicIntegerFieldUpdater<PoolEntry<?>> STATE =
      (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(PoolEntry.class, "state");

  final C connection;
  final long createdAt;
  final long expiresAt;
  final ConnectionLease<C> lease;
  volatile int state;

  /** When it was last given back (or created): the start of its idle time. */
  volatile long lastUsedAt;

  /** When it was last known good: given back, created or validated. */
  volatile long lastCheckedAt;

  /** When it was borrowed; published by the state write that follows. */
  long borrowedAt;

  volatile boolean leakReported;

  PoolEntry(C connection, long now, long expiresAt, PoolEngine<C> engine) {
    this.connection = connection;
    this.createdAt = now;
    this.expiresAt = expiresAt;
    this.lastUsedAt = now;
    this.lastCheckedAt = now;
    this.state = IN_USE;
    this.lease = new ConnectionLease<>(this, engine);
  }

  boolean claim(int from, int to) {
    return STATE.compareAndSet(this, from, to);
  }
}
