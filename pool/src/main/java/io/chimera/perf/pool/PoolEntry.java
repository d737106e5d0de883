package io.chimera.perf.pool;

/**
 * One pooled connection and its state; the state is claimed by CAS, never under a lock.
 *
 * <p>The state is also the lease's open flag: a lease is open while its entry is {@link #IN_USE},
 * so an acquire costs one CAS (IDLE to IN_USE) and a release one CAS (IN_USE to IDLE, which also
 * makes a second close harmless and orders the look for waiters that follows it). An entry on its
 * way to a waiter, or held by the housekeeper, is {@link #RESERVED}. The time stamps are plain
 * fields: the borrower writes them before the state CAS that publishes them, and readers (the
 * housekeeper, the stale gauge) read the state first.
 */
final class PoolEntry<C> extends PoolEntryFields.PadAfter {
  static final int IDLE = 0;
  static final int IN_USE = 1;

  /** Claimed by the housekeeper (validation, retirement), or being handed to a waiter. */
  static final int RESERVED = 2;

  static final int RETIRED = 3;

  /** {@link #borrowedAt} while not lent. */
  static final long NOT_BORROWED = Long.MIN_VALUE;

  final C connection;
  final long createdAt;
  final long expiresAt;
  final ConnectionLease<C> lease;

  PoolEntry(C connection, long now, long expiresAt, PoolEngine<C> engine) {
    this.connection = connection;
    this.createdAt = now;
    this.expiresAt = expiresAt;
    this.lastUsedAt = now;
    this.lastCheckedAt = now;
    this.borrowedAt = NOT_BORROWED;
    this.state = IN_USE;
    this.lease = new ConnectionLease<>(this, engine);
  }

  boolean claim(int from, int to) {
    return STATE.compareAndSet((PoolEntryFields.Hot) this, from, to);
  }

  /** An ordered store (no fence): for a state change only the owner can make. */
  void setStateRelease(int to) {
    STATE.setRelease((PoolEntryFields.Hot) this, to);
  }
}
