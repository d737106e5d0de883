package io.chimera.perf.cache;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes expired L1 entries that nobody reads again. L1 itself has no Caffeine expiry (see {@link
 * L1Store}: each entry's own TTL is checked on read), because even a fixed expire-after-write costs
 * Caffeine reads about a third of their throughput. Since L1 is always size- or weight-bounded, an
 * expired entry never takes it past its bound; until a sweep it only holds a place a live entry
 * could use (and counts in the L1 memory gauges).
 *
 * <p>A sweep is due every {@link #periodNanos(long)} of the cache's ticker; it starts on an L1
 * write or a tick of the cache's scheduled work once due, and runs on the L1 maintenance executor
 * (a pool thread by default, never the writer). It walks L1 once and removes, as {@code expired},
 * each entry past its own TTL.
 */
final class L1Sweeper<K, V> implements Runnable {

  static final long MIN_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final L1Store<K, V> l1;
  private final Executor executor;
  private final long period;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile long next;

  L1Sweeper(L1Store<K, V> l1, Executor executor, long l1TtlNanos, long now) {
    this.l1 = l1;
    this.executor = executor;
    this.period = periodNanos(l1TtlNanos);
    this.next = now + period;
  }

  /** Half the L1 TTL, within 1 s to 60 s. */
  static long periodNanos(long l1TtlNanos) {
    return Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, l1TtlNanos / 2));
  }

  /** Starts a sweep on the executor if one is due and none runs; cheap otherwise. */
  void maybeSweep(long now) {
    if (now - next < 0 || !running.compareAndSet(false, true)) {
      return;
    }
    next = now + period;
    try {
      executor.execute(this);
    } catch (RejectedExecutionException e) {
      running.set(false);
    }
  }

  @Override
  public void run() {
    try {
      sweep(l1.now());
    } finally {
      running.set(false);
    }
  }

  /** Removes every entry expired at {@code now}; returns how many it removed. */
  int sweep(long now) {
    int removed = 0;
    for (Map.Entry<K, Entry<V>> me : l1.caffeine.asMap().entrySet()) {
      Entry<V> e = me.getValue();
      if (now - e.expiresAt >= 0 && l1.expire(me.getKey(), e)) {
        removed++;
      }
    }
    return removed;
  }
}
