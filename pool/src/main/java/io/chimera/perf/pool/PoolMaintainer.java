package io.chimera.perf.pool;

import io.chimera.perf.core.Ticker;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves connections into and out of a {@link PoolEngine}: opens them in the background (one attempt
 * at a time after a failure, backing off), retires them (closing them off the caller's thread),
 * runs the periodic housekeeping (max lifetime, idle timeout, keepalive validation, leak reports,
 * filling to min idle) and drains the pool on close. It never lends: every entry it creates or
 * keeps goes back through {@link PoolEngine#handOffOrIdle}, and the engine's entry array changes
 * only through {@link PoolEngine#addEntry} and {@link PoolEngine#removeEntry}.
 *
 * <p>{@link #total} counts entries plus creations in flight and is only ever raised by CAS below
 * the maximum; {@link #creating} counts the creations in flight.
 */
final class PoolMaintainer<C> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final PoolEngine<C> engine;
  private final ConnectionFactory<C> factory;
  private final ConnectionPool.Builder<C> cfg;
  private final String name;
  private final Ticker ticker;
  private final PoolMeters meters;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger creating = new AtomicInteger();
  private final LongAdder leaks = new LongAdder();
  private final ScheduledFuture<?> housekeeping;

  private volatile Throwable lastCreationFailure;
  private volatile long nextCreationAt;
  private volatile long backoffNanos;

  /** Starts the pool's threads and its housekeeping; {@link #fillMinIdle} opens the first ones. */
  PoolMaintainer(
      PoolEngine<C> engine,
      ConnectionPool.Builder<C> cfg,
      ConnectionFactory<C> factory,
      PoolMeters meters) {
    this.engine = engine;
    this.cfg = cfg;
    this.factory = factory;
    this.name = cfg.name;
    this.ticker = cfg.ticker;
    this.meters = meters;
    AtomicInteger threadNo = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            cfg.creationThreads,
            r -> {
              Thread t = new Thread(r, "chimera-pool-" + name + "-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    housekeeping =
        executor.scheduleWithFixedDelay(
            this::housekeepQuietly,
            cfg.housekeepingNanos,
            cfg.housekeepingNanos,
            TimeUnit.NANOSECONDS);
  }

  /** Why the last creation failed, or null once one succeeded. */
  Throwable lastCreationFailure() {
    return lastCreationFailure;
  }

  long leaksDetected() {
    return leaks.sum();
  }

  int totalConnections() {
    return total.get();
  }

  // ---- creation --------------------------------------------------------------------------

  /** Starts one creation per waiter not yet covered by a creation in flight. */
  void fillForWaiters() {
    int need = engine.pendingAcquires() - creating.get();
    for (int i = 0; i < need && startCreation(); i++) {
      // one creation per waiter not yet covered
    }
  }

  void fillMinIdle() {
    while (engine.idleConnections() + creating.get() < cfg.minIdle && startCreation()) {
      // up to min idle
    }
  }

  /** Reserves a slot below the maximum and opens a connection in the background. */
  private boolean startCreation() {
    if (engine.isClosed()) {
      return false;
    }
    if (lastCreationFailure != null && (creating.get() > 0 || ticker.read() - nextCreationAt < 0)) {
      return false; // failing: one attempt at a time, after the back-off
    }
    int t;
    do {
      t = total.get();
      if (t >= cfg.maxSize) {
        return false;
      }
    } while (!total.compareAndSet(t, t + 1));
    creating.incrementAndGet();
    try {
      executor.execute(this::create);
    } catch (RejectedExecutionException e) {
      creating.decrementAndGet();
      total.decrementAndGet();
      return false;
    }
    return true;
  }

  private void create() {
    C connection = null;
    Throwable failure = null;
    try {
      connection = factory.create();
      if (connection == null) {
        failure = new NullPointerException("the connection factory returned null");
      }
    } catch (Exception | LinkageError e) {
      failure = e;
    }
    long now = ticker.read();
    if (failure != null) {
      long backoff =
          Math.min(backoffNanos == 0 ? FIRST_BACKOFF_NANOS : backoffNanos * 2, cfg.maxBackoffNanos);
      backoffNanos = backoff;
      nextCreationAt = now + backoff;
      lastCreationFailure = failure;
      meters.creationFailed();
      total.decrementAndGet();
      creating.decrementAndGet();
      LOG.debug("pool '{}': connection attempt failed, next in {} ms", name, backoff / 1_000_000);
      return;
    }
    meters.created();
    lastCreationFailure = null;
    backoffNanos = 0;
    long expiresAt = Long.MAX_VALUE;
    if (cfg.maxLifetimeNanos > 0) {
      long jitter =
          cfg.lifetimeJitterNanos == 0
              ? 0
              : ThreadLocalRandom.current().nextLong(cfg.lifetimeJitterNanos + 1);
      expiresAt = now + cfg.maxLifetimeNanos - jitter;
    }
    PoolEntry<C> e = new PoolEntry<>(connection, now, expiresAt, engine);
    engine.addEntry(e);
    if (engine.isClosed()) {
      retire(e, RetireReason.SHUTDOWN);
    } else {
      engine.handOffOrIdle(e);
    }
    creating.decrementAndGet(); // after the hand-off, so a waiter never orders a second one
  }

  // ---- retirement ------------------------------------------------------------------------

  /** Retires an entry the caller owns (in use or reserved) and closes its connection. */
  void retire(PoolEntry<C> e, RetireReason reason) {
    engine.removeEntry(e);
    total.decrementAndGet();
    meters.retired(reason);
    LOG.debug("pool '{}': retired a connection ({})", name, reason.tag());
    C c = e.connection;
    if (engine.isClosed()) {
      closeQuietly(c);
    } else {
      try {
        executor.execute(() -> closeQuietly(c));
      } catch (RejectedExecutionException ex) {
        closeQuietly(c);
      }
    }
  }

  private void closeQuietly(C c) {
    try {
      factory.close(c);
    } catch (Exception e) {
      LOG.debug("pool '{}': closing a connection failed", name, e);
    }
  }

  // ---- housekeeping ----------------------------------------------------------------------

  private void housekeepQuietly() {
    try {
      housekeep();
    } catch (RuntimeException e) {
      LOG.warn("pool '{}': housekeeping failed", name, e);
    }
  }

  /** Retires expired and long-idle connections, validates idle ones, reports leaks, fills. */
  void housekeep() {
    if (engine.isClosed()) {
      return;
    }
    long now = ticker.read();
    int idle = engine.idleConnections();
    for (PoolEntry<C> e : engine.entries()) {
      if (e.state == PoolEntry.IDLE) {
        if (cfg.maxLifetimeNanos > 0 && now - e.expiresAt >= 0) {
          if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            retire(e, RetireReason.MAX_LIFETIME);
            idle--;
          }
        } else if (cfg.idleTimeoutNanos > 0
            && now - e.lastUsedAt >= cfg.idleTimeoutNanos
            && idle > cfg.minIdle) {
          if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            retire(e, RetireReason.IDLE_TIMEOUT);
            idle--;
          }
        } else if (cfg.keepaliveNanos > 0 && now - e.lastCheckedAt >= cfg.keepaliveNanos) {
          if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
            if (engine.validate(e)) {
              e.lastCheckedAt = ticker.read();
              engine.handOffOrIdle(e);
            } else {
              retire(e, RetireReason.VALIDATION_FAILED);
              idle--;
            }
          }
        }
      } else if (cfg.leakThresholdNanos > 0 && e.state == PoolEntry.IN_USE && !e.leakReported) {
        long borrowedAt = e.borrowedAt; // NOT_BORROWED until the borrower's write shows
        if (borrowedAt != PoolEntry.NOT_BORROWED && now - borrowedAt > cfg.leakThresholdNanos) {
          e.leakReported = true;
          leaks.increment();
          LOG.warn(
              "pool '{}': a connection has been leased for {} ms, longer than the leak-detection"
                  + " threshold of {} ms; was its lease closed?",
              name,
              (now - borrowedAt) / 1_000_000,
              cfg.leakThresholdNanos / 1_000_000);
        }
      }
    }
    fillMinIdle();
    fillForWaiters();
  }

  // ---- shutdown --------------------------------------------------------------------------

  /**
   * After the engine closed: retires idle entries until none is left or the close timeout passes
   * (leased ones are retired as they come back), then stops the threads.
   */
  void shutdown() {
    retireIdle();
    long deadline = System.nanoTime() + cfg.closeTimeoutNanos;
    while (total.get() > 0 && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
      retireIdle();
    }
    int left = total.get();
    if (left > 0) {
      LOG.warn(
          "pool '{}': closed with {} connections still leased; each is closed when returned",
          name,
          left);
    }
    housekeeping.cancel(false);
    executor.shutdown();
  }

  private void retireIdle() {
    for (PoolEntry<C> e : engine.entries()) {
      if (e.claim(PoolEntry.IDLE, PoolEntry.RESERVED)) {
        retire(e, RetireReason.SHUTDOWN);
      }
    }
  }
}
