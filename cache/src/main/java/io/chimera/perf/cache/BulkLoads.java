package io.chimera.perf.cache;

import static io.chimera.perf.cache.CacheMeters.*;

import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link TieredCache#getAll}: single flight per key, one MGET for the keys this call owns, one
 * bulk-loader call for the rest and one pipelined write of what it loaded.
 */
final class BulkLoads<K, V> {

  private final TieredCache<K, V> c;
  private final Loads<K, V> loads;

  BulkLoads(TieredCache<K, V> cache, Loads<K, V> loads) {
    this.c = cache;
    this.loads = loads;
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
      byte[] kb = loads.encodeKeyForLoad(o.getKey(), o.getValue());
      if (kb == null) {
        toLoad.add(o.getKey());
        continue;
      }
      keyBytes.put(o.getKey(), kb);
      if (l2 == null || TieredCache.onEventLoop()) {
        toLoad.add(o.getKey());
      } else if (loads.blocksRead(o.getKey()) || !l2.usable()) {
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
        boolean corrupt;
        L1Maintenance.Writing bulkWrite = L1Maintenance.beginBulk();
        try {
          corrupt = storeHits(query, kvs, rks, owned, toLoad, result);
        } finally {
          L1Maintenance.endBulk(bulkWrite);
        }
        c.meters.l2(MGET, corrupt ? CORRUPT : SUCCESS, start);
      }
    }
    if (!toLoad.isEmpty()) {
      bulkLoad(toLoad, owned, keyBytes, bulkLoader, result);
    }
    for (Map.Entry<K, Flight<V>> j : joined.entrySet()) {
      V v = loads.join(j.getValue());
      if (v != null) {
        result.put(j.getKey(), v);
      }
    }
  }

  /** Puts the decodable MGET hits into L1 and the result; the rest go to {@code toLoad}. */
  private boolean storeHits(
      List<K> query,
      List<KeyValue<byte[], byte[]>> kvs,
      byte[][] rks,
      Map<K, Flight<V>> owned,
      List<K> toLoad,
      Map<K, V> result) {
    boolean corrupt = false;
    for (int i = 0; i < rks.length; i++) {
      K k = query.get(i);
      KeyValue<byte[], byte[]> kv = kvs.get(i);
      if (kv.hasValue()) {
        Entry<V> e = loads.decodeEntry(kv.getValue(), rks[i].length);
        if (e != null) {
          c.meters.l2Hit();
          Flight<V> f = owned.get(k);
          loads.finish(k, f, e, true);
          c.flights().remove(k, f);
          if (e.value != null) {
            result.put(k, e.value);
          }
          continue;
        }
        corrupt = true;
        loads.corrupt(rks[i]);
      }
      c.meters.l2Miss();
      toLoad.add(k);
    }
    return corrupt;
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
    L1Maintenance.Writing bulkWrite = L1Maintenance.beginBulk();
    try {
      for (K k : toLoad) {
        V v = loaded == null ? null : loaded.get(k);
        Flight<V> f = owned.get(k);
        Loads.Prepared<V> p = loads.prepare(keyBytes.get(k), v);
        loads.finish(k, f, p.entry(), p.cacheable());
        if (v != null) {
          result.put(k, v);
        }
        byte[] stored = p.stored();
        if (l2 != null && stored != null && !f.isStale() && !loads.blocksRead(k)) {
          ttls[wKeys.size()] = TimeUnit.NANOSECONDS.toMillis(p.ttl());
          wKeys.add(k);
          rks.add(l2.key(keyBytes.get(k)));
          values.add(stored);
        } else {
          c.flights().remove(k, f);
        }
      }
    } finally {
      L1Maintenance.endBulk(bulkWrite);
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
}
