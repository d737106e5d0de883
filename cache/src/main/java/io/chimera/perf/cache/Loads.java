package io.chimera.perf.cache;

import static io.chimera.perf.cache.CacheMeters.*;

import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read and write paths of a {@link TieredCache} below its L1 hit: single flight, L2 reads and
 * decoding, loading, write-back, write-through and invalidation.
 */
final class Loads<K, V> implements Coherence.Target<K> {

  private static final Logger LOG = LoggerFactory.getLogger(Loads.class);

  /** What a loaded value becomes: its L1 entry and, when it may go to Redis, its stored bytes. */
  private static final class Prepared<V> {
    private final Entry<V> entry;
    private final boolean cacheable;
    private final byte @Nullable [] stored;
    private final long ttl;

    Prepared(Entry<V> entry, boolean cacheable, byte @Nullable [] stored, long ttl) {
      this.entry = entry;
      this.cacheable = cacheable;
      this.stored = stored;
      this.ttl = ttl;
    }

    Entry<V> entry() {
      return entry;
    }

    boolean cacheable() {
      return cacheable;
    }

    byte @Nullable [] stored() {
      return stored;
    }

    long ttl() {
      return ttl;
    }
  }

  private final TieredCache<K, V> c;
  private final CacheConfig<K, V> cfg;

  Loads(TieredCache<K, V> cache) {
    this.c = cache;
    this.cfg = cache.cfg;
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Nullable V missSync(K key, Function<? super K, ? extends @Nullable V> loader) {
    c.meters.l1Miss(key);
    if (TieredCache.onEventLoop()) {
      // Never block Lettuce's event loop on Redis or on a flight that needs it: load directly.
      long start = System.nanoTime();
      V v = loader.apply(key);
      c.meters.load(v == null ? LOAD_ABSENT : LOAD_SUCCESS, start);
      return v;
    }
    Flight<V> f = new Flight<>();
    Flight<V> prev = c.flights().putIfAbsent(key, f);
    if (prev != null) {
      return join(prev);
    }
    byte[] kb = encodeKeyForLoad(key, f);
    Entry<V> e = kb == null ? null : readL2Sync(key, kb);
    if (e != null) {
      finish(key, f, e, true);
      c.flights().remove(key, f);
      return e.value;
    }
    return loadAndStore(key, kb, f, loader, true);
  }

  CompletableFuture<@Nullable V> missAsync(
      K key, Function<? super K, ? extends @Nullable V> loader) {
    c.meters.l1Miss(key);
    Flight<V> f = new Flight<>();
    Flight<V> prev = c.flights().putIfAbsent(key, f);
    if (prev != null) {
      return prev.future.thenApplyAsync(e -> e.value, cfg.executor());
    }
    byte[] kb = encodeKeyForLoad(key, f);
    L2Access l2 = c.l2;
    if (l2 == null || kb == null || blocksRead(key) || !l2.usable()) {
      if (l2 != null && kb != null) {
        c.meters.l2Miss();
      }
      return CompletableFuture.supplyAsync(
          () -> loadAndStore(key, kb, f, loader, true), cfg.executor());
    }
    long start = System.nanoTime();
    byte[] rk = l2.key(kb);
    return l2.get(rk)
        .handleAsync(
            (raw, error) -> {
              Entry<V> e;
              if (error != null) {
                c.meters.l2Miss();
                e = null;
              } else {
                e = decode(rk, raw, start);
              }
              if (e != null) {
                finish(key, f, e, true);
                c.flights().remove(key, f);
                return e.value;
              }
              return loadAndStore(key, kb, f, loader, true);
            },
            cfg.executor());
  }

  @Nullable Entry<V> readL2Sync(K key) {
    byte[] kb;
    try {
      kb = cfg.keyCodec().encode(key);
    } catch (RuntimeException e) {
      return null;
    }
    return kb.length > cfg.maxKeyBytes() ? null : readL2Sync(key, kb);
  }

  private @Nullable Entry<V> readL2Sync(K key, byte[] kb) {
    L2Access l2 = c.l2;
    if (l2 == null) {
      return null;
    }
    if (blocksRead(key) || !l2.usable()) {
      c.meters.l2Miss();
      return null;
    }
    long start = System.nanoTime();
    byte[] rk = l2.key(kb);
    CompletableFuture<byte @Nullable []> future = l2.get(rk);
    byte[] raw;
    try {
      raw = future.get(cfg.tier() == null ? 0 : cfg.tier().waitNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.meters.l2Miss();
      return null;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      c.meters.l2Miss();
      return null;
    }
    return decode(rk, raw, start);
  }

  void missAll(
      List<K> missing,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader,
      Map<K, V> result) {
    Map<K, Flight<V>> owned = new LinkedHashMap<>();
    Map<K, Flight<V>> joined = new LinkedHashMap<>();
    for (K k : missing) {
      if (owned.containsKey(k) || joined.containsKey(k)) {
        continue;
      }
      c.meters.l1Miss(k);
      Flight<V> f = new Flight<>();
      Flight<V> prev = c.flights().putIfAbsent(k, f);
      if (prev != null) {
        joined.put(k, prev);
      } else {
        owned.put(k, f);
      }
    }
    Map<K, byte[]> keyBytes = TieredCache.newMap(owned.size());
    List<K> toLoad = new ArrayList<>();
    List<K> query = new ArrayList<>();
    L2Access l2 = c.l2;
    for (Map.Entry<K, Flight<V>> o : owned.entrySet()) {
      byte[] kb = encodeKeyForLoad(o.getKey(), o.getValue());
      if (kb == null) {
        toLoad.add(o.getKey());
        continue;
      }
      keyBytes.put(o.getKey(), kb);
      if (l2 == null || TieredCache.onEventLoop()) {
        toLoad.add(o.getKey());
      } else if (blocksRead(o.getKey()) || !l2.usable()) {
        c.meters.l2Miss();
        toLoad.add(o.getKey());
      } else {
        query.add(o.getKey());
      }
    }
    if (!query.isEmpty() && l2 != null) {
      byte[][] rks = new byte[query.size()][];
      for (int i = 0; i < rks.length; i++) {
        rks[i] = l2.key(keyBytes.get(query.get(i)));
      }
      long start = System.nanoTime();
      List<KeyValue<byte[], byte[]>> kvs = l2.await(l2.mget(rks));
      if (kvs == null || kvs.size() != rks.length) {
        for (int i = 0; i < rks.length; i++) {
          c.meters.l2Miss();
        }
        toLoad.addAll(query);
      } else {
        boolean corrupt = false;
        for (int i = 0; i < rks.length; i++) {
          K k = query.get(i);
          KeyValue<byte[], byte[]> kv = kvs.get(i);
          if (kv.hasValue()) {
            Entry<V> e = decodeEntry(kv.getValue(), rks[i].length);
            if (e != null) {
              c.meters.l2Hit();
              Flight<V> f = owned.get(k);
              finish(k, f, e, true);
              c.flights().remove(k, f);
              if (e.value != null) {
                result.put(k, e.value);
              }
              continue;
            }
            corrupt = true;
            corrupt(rks[i]);
          }
          c.meters.l2Miss();
          toLoad.add(k);
        }
        c.meters.l2(MGET, corrupt ? CORRUPT : SUCCESS, start);
      }
    }
    if (!toLoad.isEmpty()) {
      bulkLoad(toLoad, owned, keyBytes, bulkLoader, result);
    }
    for (Map.Entry<K, Flight<V>> j : joined.entrySet()) {
      V v = join(j.getValue());
      if (v != null) {
        result.put(j.getKey(), v);
      }
    }
  }

  private void bulkLoad(
      List<K> toLoad,
      Map<K, Flight<V>> owned,
      Map<K, byte[]> keyBytes,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader,
      Map<K, V> result) {
    long start = System.nanoTime();
    Map<? extends K, ? extends V> loaded;
    try {
      loaded = bulkLoader.apply(Collections.unmodifiableSet(new LinkedHashSet<>(toLoad)));
    } catch (RuntimeException | Error t) {
      c.meters.load(LOAD_FAILURE, start);
      for (K k : toLoad) {
        Flight<V> f = owned.get(k);
        c.flights().remove(k, f);
        f.future.completeExceptionally(t);
      }
      throw t;
    }
    c.meters.load(LOAD_SUCCESS, start);
    L2Access l2 = c.l2;
    List<K> wKeys = new ArrayList<>();
    List<byte[]> rks = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    long[] ttls = new long[toLoad.size()];
    for (K k : toLoad) {
      V v = loaded == null ? null : loaded.get(k);
      Flight<V> f = owned.get(k);
      Prepared<V> p = prepare(keyBytes.get(k), v);
      finish(k, f, p.entry(), p.cacheable());
      if (v != null) {
        result.put(k, v);
      }
      byte[] stored = p.stored();
      if (l2 != null && stored != null && !f.isStale() && !blocksRead(k)) {
        ttls[wKeys.size()] = TimeUnit.NANOSECONDS.toMillis(p.ttl());
        wKeys.add(k);
        rks.add(l2.key(keyBytes.get(k)));
        values.add(stored);
      } else {
        c.flights().remove(k, f);
      }
    }
    if (l2 != null && !wKeys.isEmpty()) {
      var unusedWrite =
          l2.setAllIfAbsent(rks, values, ttls)
              .whenComplete(
                  (r, error) -> {
                    for (int i = 0; i < wKeys.size(); i++) {
                      Flight<V> f = owned.get(wKeys.get(i));
                      c.flights().remove(wKeys.get(i), f);
                      if (error == null && f.isStaleRemote()) {
                        var unused = l2.del(rks.get(i));
                      }
                    }
                  });
    }
  }

  void maybeRefresh(K key, Entry<V> e, Function<? super K, ? extends @Nullable V> loader) {
    if (c.ticker() - e.loadedAt < cfg.refreshAheadNanos() || !e.claimRefresh()) {
      return;
    }
    Flight<V> f = new Flight<>();
    if (c.flights().putIfAbsent(key, f) != null) {
      return;
    }
    try {
      cfg.executor()
          .execute(
              () -> {
                try {
                  loadAndStore(key, encodeKeyForLoad(key, f), f, loader, false);
                } catch (RuntimeException | Error t) {
                  LOG.debug("cache '{}': refresh-ahead load failed", c.name, t);
                }
              });
    } catch (RejectedExecutionException rejected) {
      c.flights().remove(key, f);
      f.future.complete(e);
    }
  }

  // ---- writes --------------------------------------------------------------------------------

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
      c.l1Put(key, e);
      return true;
    }
    byte[] rk = l2.key(kb);
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(l2Ttl));
    if (!l2.ok(l2.set(rk, c.envelope().wrap(vb), millis, false))) {
      c.l1Invalidate(key);
      coherence.addPending(key);
      return false;
    }
    c.l1Put(key, e);
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
    c.l1Invalidate(key);
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

  private void markStale(K key, boolean remote) {
    Flight<V> f = c.flights().remove(key);
    if (f != null) {
      f.markStale(remote);
    }
  }

  private boolean blocksRead(K key) {
    Coherence<K> coherence = c.coherence;
    return coherence != null && coherence.blocksRead(key);
  }

  private @Nullable V join(Flight<V> flight) {
    try {
      return flight.future.join().value;
    } catch (CompletionException e) {
      throw TieredCache.rethrow(e);
    }
  }

  /** The encoded key, or null (counted) when it is over the limit or does not encode. */
  private byte @Nullable [] encodeKeyForLoad(K key, Flight<V> f) {
    byte[] kb;
    try {
      kb = cfg.keyCodec().encode(key);
    } catch (RuntimeException e) {
      c.flights().remove(key, f);
      f.future.completeExceptionally(e);
      throw e;
    }
    if (kb.length > cfg.maxKeyBytes()) {
      c.meters.oversize.increment();
      return null;
    }
    return kb;
  }

  private @Nullable V loadAndStore(
      K key,
      byte @Nullable [] kb,
      Flight<V> f,
      Function<? super K, ? extends @Nullable V> loader,
      boolean ifAbsent) {
    long start = System.nanoTime();
    V v;
    try {
      v = loader.apply(key);
    } catch (RuntimeException | Error t) {
      c.meters.load(LOAD_FAILURE, start);
      c.flights().remove(key, f);
      f.future.completeExceptionally(t);
      throw t;
    }
    c.meters.load(v == null ? LOAD_ABSENT : LOAD_SUCCESS, start);
    Prepared<V> p = prepare(kb, v);
    finish(key, f, p.entry(), p.cacheable());
    L2Access l2 = c.l2;
    byte[] stored = p.stored();
    if (l2 == null || kb == null || stored == null || f.isStale() || blocksRead(key)) {
      c.flights().remove(key, f);
      return v;
    }
    byte[] rk = l2.key(kb);
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(p.ttl()));
    var unusedWrite =
        l2.set(rk, stored, millis, ifAbsent)
            .whenComplete(
                (r, error) -> {
                  c.flights().remove(key, f);
                  if (error == null && f.isStaleRemote()) {
                    var unused = l2.del(rk);
                  }
                });
    return v;
  }

  private Prepared<V> prepare(byte @Nullable [] kb, @Nullable V v) {
    long now = c.ticker();
    if (kb == null || (v == null && cfg.negativeTtlNanos() == 0)) {
      return new Prepared<>(new Entry<>(v, 0, now, 0), false, null, 0);
    }
    boolean tiered = c.l2 != null;
    if (v == null) {
      long ttl = cfg.negativeTtlNanos();
      return new Prepared<>(
          new Entry<>(null, ttl, now, kb.length + 1 + TieredCache.ENTRY_OVERHEAD),
          true,
          tiered ? Envelope.absent() : null,
          ttl);
    }
    byte[] vb;
    try {
      vb = cfg.valueCodec().encode(v);
    } catch (RuntimeException e) {
      LOG.warn(
          "cache '{}': the value codec cannot encode a loaded value ({}); returned uncached",
          c.name,
          e.getMessage());
      return new Prepared<>(new Entry<>(v, 0, now, 0), false, null, 0);
    }
    if (vb.length > cfg.maxValueBytes()) {
      c.meters.oversize.increment();
      return new Prepared<>(new Entry<>(v, 0, now, 0), false, null, 0);
    }
    long l2Ttl = c.jittered(cfg.l2TtlNanos());
    long l1Ttl = Math.min(c.jittered(cfg.l1TtlNanos()), l2Ttl);
    return new Prepared<>(
        new Entry<>(v, l1Ttl, now, kb.length + vb.length + TieredCache.ENTRY_OVERHEAD),
        true,
        tiered ? c.envelope().wrap(vb) : null,
        l2Ttl);
  }

  /** Puts the entry in L1 unless an invalidation overtook the load; wakes the waiters. */
  private void finish(K key, Flight<V> f, Entry<V> e, boolean cacheable) {
    synchronized (f) {
      if (cacheable && !f.isStale()) {
        c.l1Put(key, e);
      }
    }
    f.future.complete(e);
  }

  private @Nullable Entry<V> decode(byte[] rk, byte @Nullable [] raw, long start) {
    if (raw == null) {
      c.meters.l2(GET, SUCCESS, start);
      c.meters.l2Miss();
      return null;
    }
    Entry<V> e = decodeEntry(raw, rk.length);
    if (e == null) {
      c.meters.l2(GET, CORRUPT, start);
      corrupt(rk);
      c.meters.l2Miss();
      return null;
    }
    c.meters.l2(GET, SUCCESS, start);
    c.meters.l2Hit();
    return e;
  }

  private @Nullable Entry<V> decodeEntry(byte[] raw, int keyLength) {
    long now = c.ticker();
    int weight = keyLength + raw.length + TieredCache.ENTRY_OVERHEAD;
    if (Envelope.isAbsent(raw)) {
      long ttl = cfg.negativeTtlNanos() > 0 ? cfg.negativeTtlNanos() : c.jittered(cfg.l1TtlNanos());
      return new Entry<>(null, ttl, now, weight);
    }
    try {
      byte[] opened = c.envelope().open(raw);
      int off = Envelope.payloadOffset(raw, opened);
      V v = cfg.valueCodec().decode(opened, off, opened.length - off);
      return new Entry<>(v, c.jittered(cfg.l1TtlNanos()), now, weight);
    } catch (Envelope.CorruptValueException | RuntimeException e) {
      LOG.debug("cache '{}': undecodable value in Redis: {}", c.name, e.getMessage());
      return null;
    }
  }

  private void corrupt(byte[] rk) {
    c.meters.l2Corrupt.increment();
    L2Access l2 = c.l2;
    if (l2 != null) {
      var unused = l2.del(rk);
    }
  }
}
