package io.chimera.perf.cache;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The write paths of a {@link TieredCache}: write-through {@code put}, {@code invalidate} and
 * {@code invalidateAll}, and the coherence target that drops this instance's L1 entries when
 * another instance (or a replay) says so.
 */
final class Writes<K, V> implements Coherence.Target<K> {

  private final TieredCache<K, V> c;
  private final CacheConfig<K, V> cfg;

  Writes(TieredCache<K, V> cache) {
    this.c = cache;
    this.cfg = cache.cfg;
  }

  boolean put(K key, V value, long ttlNanos) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
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
    Entry<V> e =
        new Entry<>(value, l1Ttl, c.ticker(), kb.length + vb.length + TieredCache.ENTRY_OVERHEAD);
    markStale(key, false);
    L2Access l2 = c.l2;
    Coherence<K> coherence = c.coherence;
    if (l2 == null || coherence == null) {
      c.l1.put(key, e);
      return true;
    }
    byte[] rk = l2.key(kb);
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(l2Ttl));
    if (!l2.ok(l2.set(rk, c.envelope().wrap(vb), millis, false))) {
      c.l1.invalidate(key);
      coherence.addPending(key);
      return false;
    }
    c.l1.put(key, e);
    if (!l2.ok(l2.publish(coherence.keyMessage(kb)))) {
      coherence.addPending(key);
      return false;
    }
    coherence.acknowledged(key);
    return true;
  }

  boolean invalidate(K key) {
    Objects.requireNonNull(key, "key");
    dropLocal(key, false);
    Coherence<K> coherence = c.coherence;
    if (coherence == null) {
      return true;
    }
    if (deleteAndAnnounce(key)) {
      coherence.acknowledged(key);
      return true;
    }
    coherence.addPending(key);
    return false;
  }

  boolean invalidateAll() {
    dropAll(false);
    Coherence<K> coherence = c.coherence;
    if (coherence == null) {
      return true;
    }
    if (clearAndAnnounce()) {
      return true;
    }
    coherence.addPendingAll();
    return false;
  }

  // ---- Coherence.Target ----------------------------------------------------------------------

  @Override
  public void dropLocal(K key, boolean remote) {
    markStale(key, remote);
    c.l1.invalidate(key);
  }

  @Override
  public void dropAllLocal() {
    dropAll(true);
  }

  @Override
  public boolean deleteAndAnnounce(K key) {
    L2Access l2 = c.l2;
    Coherence<K> coherence = c.coherence;
    if (l2 == null || coherence == null) {
      return true;
    }
    byte[] kb = cfg.keyCodec().encode(key);
    if (kb.length > cfg.maxKeyBytes()) {
      return true; // never stored in Redis
    }
    return l2.ok(l2.del(l2.key(kb))) && l2.ok(l2.publish(coherence.keyMessage(kb)));
  }

  @Override
  public boolean clearAndAnnounce() {
    L2Access l2 = c.l2;
    Coherence<K> coherence = c.coherence;
    if (l2 == null || coherence == null) {
      return true;
    }
    return l2.clear() && l2.ok(l2.publish(coherence.allMessage()));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void dropAll(boolean remote) {
    c.flights()
        .forEach(
            (k, f) -> {
              f.markStale(remote);
              c.flights().remove(k, f);
            });
    c.l1.invalidateAll();
  }

  void markStale(K key, boolean remote) {
    Flight<V> f = c.flights().remove(key);
    if (f != null) {
      f.markStale(remote);
    }
  }
}
