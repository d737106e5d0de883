package io.chimera.perf.cache;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write paths of a {@link TieredCache}: write-through {@code put}, {@code invalidate} and
 * {@code invalidateAll}, and the coherence target that drops this instance's L1 entries when
 * another instance (or a replay) says so.
 */
final class Writes<K, V> implements Coherence.Target<K> {

  private static final Logger LOG = LoggerFactory.getLogger(Writes.class);

  /** An invalidation's announcement did not reach Redis. */
  private static final int FAILED = 0;

  /** It reached Redis, but not every instance confirmed it in time. */
  private static final int UNCONFIRMED = 1;

  /** It reached Redis and (when asked for) every instance that received it confirmed it. */
  private static final int CONFIRMED = 2;

  private final TieredCache<K, V> c;
  private final CacheConfig<K, V> cfg;

  Writes(TieredCache<K, V> cache) {
    this.c = cache;
    this.cfg = cache.cfg;
  }

  boolean put(K key, V value, long ttlNanos) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    requireOffEventLoop("put");
    byte[] kb = cfg.keyCodec().encode(key);
    if (kb.length > cfg.maxKeyBytes()) {
      throw new IllegalArgumentException(
          "cache '"
              + c.name
              + "': key encodes to "
              + kb.length
              + " bytes, over maxKeyBytes "
              + cfg.maxKeyBytes());
    }
    byte[] vb = cfg.valueCodec().encode(value);
    if (vb.length > cfg.maxValueBytes()) {
      throw new IllegalArgumentException(
          "cache '"
              + c.name
              + "': value encodes to "
              + vb.length
              + " bytes, over maxValueBytes "
              + cfg.maxValueBytes());
    }
    long l2Ttl = ttlNanos > 0 ? ttlNanos : c.jittered(cfg.l2TtlNanos());
    long l1Ttl = Math.min(c.jittered(cfg.l1TtlNanos()), l2Ttl);
    int weight = kb.length + vb.length + TieredCache.ENTRY_OVERHEAD;
    long now = c.ticker(); // the entry is allocated at c.l1.put, after the Redis write: see there
    L2Access l2 = c.l2;
    Coherence<K> coherence = c.coherence;
    if (l2 == null || coherence == null) {
      markStale(key);
      c.l1.put(key, c.entry(value, l1Ttl, now, weight));
      return true;
    }
    byte[] rk = l2.key(kb);
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(l2Ttl));
    long mark = coherence.mark(key);
    boolean written = l2.ok(l2.set(rk, c.envelope().wrap(vb, c.deadline(l2Ttl)), millis, false));
    // Loads in flight may have read the old value from Redis until the SET landed (or, if it
    // failed, may still): only now, after it, can marking them stale keep that value out of L1.
    // A refresh's SET sent before that may land after ours: it is deleted again (SET NX cannot).
    markStale(key);
    boolean undone = undone(key, c.writeBacks.undo(key, true, l2), l2, coherence);
    if (!written) {
      c.l1.invalidate(key);
      coherence.addPending(key);
      return false;
    }
    c.l1.put(key, c.entry(value, l1Ttl, now, weight));
    // announced even if an undo failed (the key is pending then): the SET itself is in Redis
    int announced = announce(l2, coherence, kb, true, cfg.ackTimeoutNanos());
    if (announced == FAILED) {
      coherence.addPending(key);
      return false;
    }
    coherence.delivered(key, mark);
    return undone && announced == CONFIRMED;
  }

  boolean invalidate(K key) {
    Objects.requireNonNull(key, "key");
    requireOffEventLoop("invalidate");
    dropLocal(key);
    Coherence<K> coherence = c.coherence;
    if (coherence == null) {
      return true;
    }
    long mark = coherence.mark(key);
    int announced = deleteAndAnnounce(key, cfg.ackTimeoutNanos());
    if (announced == FAILED) {
      coherence.addPending(key);
      return false;
    }
    coherence.delivered(key, mark);
    return announced == CONFIRMED;
  }

  boolean invalidateAll() {
    requireOffEventLoop("invalidateAll");
    dropAll();
    Coherence<K> coherence = c.coherence;
    L2Access l2 = c.l2;
    if (coherence == null || l2 == null) {
      return true;
    }
    boolean cleared = l2.clear();
    // A load may have read an old value from Redis before the clear reached its key and put it
    // into L1 since: drop everything again (this instance skips its own announcement). Write-backs
    // that landed after the clear are deleted again before the announcement.
    dropAll();
    boolean undone = undone(null, c.writeBacks.undoAll(l2), l2, coherence);
    int announced = cleared ? announce(l2, coherence, null, false, cfg.ackTimeoutNanos()) : FAILED;
    if (announced == FAILED) {
      coherence.addPendingAll();
      return false;
    }
    return undone && announced == CONFIRMED;
  }

  // ---- Coherence.Target ----------------------------------------------------------------------

  /** Drops a key this instance invalidates from L1 and stops its loads in flight. */
  private void dropLocal(K key) {
    markStale(key);
    c.l1.invalidate(key);
  }

  @Override
  public @Nullable CompletableFuture<?> heard(K key, boolean deleted) {
    dropLocal(key);
    L2Access l2 = c.l2;
    return l2 == null ? null : failuresPending(key, c.writeBacks.undo(key, !deleted, l2));
  }

  @Override
  public @Nullable CompletableFuture<?> heardAll() {
    dropAll();
    L2Access l2 = c.l2;
    return l2 == null ? null : failuresPending(null, c.writeBacks.undoAll(l2));
  }

  @Override
  public void dropAllLocal() {
    dropAll();
  }

  /** A replay: delete and announce without waiting for confirmations. */
  @Override
  public boolean deleteAndAnnounce(K key) {
    return deleteAndAnnounce(key, 0) != FAILED;
  }

  /** A replay of "invalidate all", without waiting for confirmations. */
  @Override
  public boolean clearAndAnnounce() {
    L2Access l2 = c.l2;
    Coherence<K> coherence = c.coherence;
    if (l2 == null || coherence == null) {
      return true;
    }
    return l2.clear() && announce(l2, coherence, null, false, 0) != FAILED;
  }

  @Override
  public void confirm(String channel, byte[] message) {
    L2Access l2 = c.l2;
    if (l2 != null) {
      var unused = l2.publish(channel, message); // not awaited: this runs on Lettuce's event loop
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Refuses a write that would wait for Redis on Lettuce's event loop, where it cannot end. */
  private void requireOffEventLoop(String operation) {
    if (c.l2 != null && Loads.onEventLoop()) {
      throw new IllegalStateException(
          "cache '"
              + c.name
              + "': "
              + operation
              + " waits for Redis and cannot run on Lettuce's event loop (thread '"
              + Thread.currentThread().getName()
              + "'); call it from another thread");
    }
  }

  private int deleteAndAnnounce(K key, long confirmNanos) {
    L2Access l2 = c.l2;
    Coherence<K> coherence = c.coherence;
    if (l2 == null || coherence == null) {
      return CONFIRMED;
    }
    byte[] kb = cfg.keyCodec().encode(key);
    if (kb.length > cfg.maxKeyBytes()) {
      return CONFIRMED; // never stored in any tier
    }
    boolean deleted = l2.ok(l2.del(l2.key(kb)));
    // A load that missed L1 after the caller's first drop may have read the old value before the
    // DEL and put it into L1 since: drop it (and stop such loads) again, now that Redis has not got
    // it. This instance skips its own announcement, so nothing else would. A write-back of such a
    // load may land after the DEL: it is deleted again before the announcement.
    dropLocal(key);
    boolean undone = undone(key, c.writeBacks.undo(key, false, l2), l2, coherence);
    if (!deleted) {
      return FAILED;
    }
    // announced even if an undo failed (the key is pending then): the DEL itself is in Redis
    int announced = announce(l2, coherence, kb, false, confirmNanos);
    return undone || announced == FAILED ? announced : UNCONFIRMED;
  }

  /**
   * Publishes the invalidation of one key ({@code kb}, {@code put}: written, else deleted) or of
   * all ({@code null}); with {@code confirmNanos > 0} waits that long for every receiver's
   * confirmation.
   */
  private int announce(
      L2Access l2, Coherence<K> coherence, byte @Nullable [] kb, boolean put, long confirmNanos) {
    if (confirmNanos == 0) {
      byte[] m = kb == null ? coherence.allMessage() : coherence.keyMessage(kb, put);
      return l2.ok(l2.publish(m)) ? CONFIRMED : FAILED;
    }
    Confirmation confirmation = coherence.expect();
    long start = System.nanoTime();
    try {
      byte[] m =
          kb == null
              ? coherence.allMessage(confirmation)
              : coherence.keyMessage(kb, put, confirmation);
      Long receivers = l2.await(l2.publish(m));
      if (receivers == null) {
        return FAILED;
      }
      if (confirmation.await(receivers, confirmNanos)) {
        c.meters.l2(CacheMeters.CONFIRM, CacheMeters.SUCCESS, start);
        return CONFIRMED;
      }
      c.meters.l2(
          CacheMeters.CONFIRM, receivers > 0 ? CacheMeters.TIMEOUT : CacheMeters.FAILURE, start);
      LOG.debug(
          "cache '{}': {} of {} instances confirmed an invalidation within {} ms",
          c.name,
          confirmation.count(),
          receivers,
          TimeUnit.NANOSECONDS.toMillis(confirmNanos));
      return UNCONFIRMED;
    } finally {
      coherence.forget(confirmation);
    }
  }

  private void dropAll() {
    c.flights()
        .forEach(
            (k, f) -> {
              f.markStale();
              c.flights().remove(k, f);
            });
    c.l1.invalidateAll();
  }

  void markStale(K key) {
    Flight<V> f = c.flights().remove(key);
    if (f != null) {
      f.markStale();
    }
  }

  /**
   * Waits (off the event loop) for the undo of a write-back: its answer, then a DEL, so up to two
   * command waits. False if it failed, and then the key ({@code null}: every key) joins the pending
   * invalidations, replayed once Redis answers.
   */
  private boolean undone(
      @Nullable K key, @Nullable CompletableFuture<?> undo, L2Access l2, Coherence<K> coherence) {
    if (undo == null || l2.ok(undo, 2)) {
      return true;
    }
    pending(key, coherence);
    return false;
  }

  /** {@code undo}, whose failure makes the key (null: every key) a pending invalidation. */
  private @Nullable CompletableFuture<?> failuresPending(
      @Nullable K key, @Nullable CompletableFuture<?> undo) {
    Coherence<K> coherence = c.coherence;
    if (undo == null || coherence == null) {
      return undo;
    }
    return undo.whenComplete(
        (r, error) -> {
          if (error != null) {
            pending(key, coherence);
          }
        });
  }

  private static <K> void pending(@Nullable K key, Coherence<K> coherence) {
    if (key == null) {
      coherence.addPendingAll();
    } else {
      coherence.addPending(key);
    }
  }
}
