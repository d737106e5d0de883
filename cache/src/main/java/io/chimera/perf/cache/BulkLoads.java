package io.chimera.perf.cache;

import static io.chimera.perf.cache.CacheMeters.*;

import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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
    if (Loads.onEventLoop()) {
      loadOnEventLoop(missing, bulkLoader, result);
      return;
    }
    // The keys this call owns (index i: keys, owned, keyBytes) in parallel lists and arrays, no
    // map per key; a flight of this call (its batch is this call's token) marks a duplicate key.
    Object batch = new Object();
    int n = missing.size();
    List<K> keys = new ArrayList<>(n);
    List<Flight<V>> owned = new ArrayList<>(n);
    @Nullable Map<K, Flight<V>> joined = null;
    CacheMeters.MissTally misses = new CacheMeters.MissTally();
    for (K k : missing) {
      if (joined != null && joined.containsKey(k)) {
        continue; // a duplicate of a key this call joins
      }
      Flight<V> f = new Flight<>(batch);
      Flight<V> prev = c.flights().putIfAbsent(k, f);
      if (prev == null) {
        keys.add(k);
        owned.add(f);
      } else if (prev.batch == batch) {
        continue; // a duplicate of a key this call owns
      } else {
        if (joined == null) {
          joined = new LinkedHashMap<>();
        }
        joined.put(k, prev);
      }
      c.meters.l1Miss(misses, k);
    }
    c.meters.l1Misses(misses);
    try {
      readOwned(keys, owned, bulkLoader, result);
    } catch (RuntimeException | Error t) {
      // e.g. the key codec threw on one key: the flights not finished yet would never be
      for (int i = 0; i < owned.size(); i++) {
        if (!owned.get(i).future.isDone()) {
          loads.abandon(keys.get(i), owned.get(i), t);
        }
      }
      throw t;
    }
    if (joined != null) {
      for (Map.Entry<K, Flight<V>> j : joined.entrySet()) {
        V v = loads.join(j.getValue());
        if (v != null) {
          result.put(j.getKey(), v);
        }
      }
    }
  }

  /**
   * On Lettuce's event loop, which must never wait for Redis or for another load that may need it:
   * the bulk loader runs here for every missing key, its results are returned and not stored (as
   * {@code get} does there).
   */
  private void loadOnEventLoop(
      List<K> missing,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader,
      Map<K, V> result) {
    Set<K> asked = new LinkedHashSet<>(missing);
    CacheMeters.MissTally misses = new CacheMeters.MissTally();
    for (K k : asked) {
      c.meters.l1Miss(misses, k);
    }
    c.meters.l1Misses(misses);
    Map<? extends K, ? extends V> loaded = timedLoad(asked, bulkLoader);
    if (loaded != null) {
      for (K k : asked) {
        V v = loaded.get(k);
        if (v != null) {
          result.put(k, v);
        }
      }
    }
  }

  /** One call of the bulk loader with {@code asked}, timed as a success or a failure. */
  private @Nullable Map<? extends K, ? extends V> timedLoad(
      Set<K> asked, Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader) {
    long start = System.nanoTime();
    Map<? extends K, ? extends V> loaded;
    try {
      loaded = bulkLoader.apply(Collections.unmodifiableSet(asked));
    } catch (RuntimeException | Error t) {
      c.meters.load(LOAD_FAILURE, start);
      throw t;
    }
    c.meters.load(LOAD_SUCCESS, start);
    return loaded;
  }

  /** Reads the keys this call owns from Redis, then loads the rest in one bulk-loader call. */
  private void readOwned(
      List<K> keys,
      List<Flight<V>> owned,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader,
      Map<K, V> result) {
    int m = keys.size();
    byte[][] keyBytes = new byte[m][];
    int[] toLoad = new int[m];
    int loadCount = 0;
    int[] query = new int[m];
    int queries = 0;
    L2Access l2 = c.l2;
    for (int i = 0; i < m; i++) {
      K k = keys.get(i);
      byte[] kb = loads.encodeKeyForLoad(k, owned.get(i));
      if (kb == null) {
        toLoad[loadCount++] = i;
        continue;
      }
      keyBytes[i] = kb;
      if (l2 == null) {
        toLoad[loadCount++] = i;
      } else if (loads.blocksRead(k) || !l2.usable()) {
        c.meters.l2Miss();
        toLoad[loadCount++] = i;
      } else {
        query[queries++] = i;
      }
    }
    if (queries > 0 && l2 != null) {
      byte[][] rks = new byte[queries][];
      for (int q = 0; q < queries; q++) {
        rks[q] = l2.key(keyBytes[query[q]]);
      }
      long start = System.nanoTime();
      List<KeyValue<byte[], byte[]>> kvs = l2.await(l2.mget(rks));
      if (kvs == null || kvs.size() != rks.length) {
        for (int q = 0; q < queries; q++) {
          c.meters.l2Miss();
          toLoad[loadCount++] = query[q];
        }
      } else {
        boolean corrupt = false;
        int hits = 0;
        L1Maintenance.Writing bulkWrite = L1Maintenance.beginBulk();
        try {
          for (int q = 0; q < queries; q++) {
            int i = query[q];
            if (storeHit(keys.get(i), owned.get(i), kvs.get(q), rks[q], result)) {
              hits++;
            } else {
              corrupt |= kvs.get(q).hasValue();
              c.meters.l2Miss();
              toLoad[loadCount++] = i;
            }
          }
        } finally {
          L1Maintenance.endBulk(bulkWrite);
          c.meters.l2Hits(hits);
        }
        c.meters.l2(MGET, corrupt ? CORRUPT : SUCCESS, start);
      }
    }
    if (loadCount > 0) {
      // the bulk loader sees the keys in the order they were asked for
      Arrays.sort(toLoad, 0, loadCount);
      bulkLoad(Arrays.copyOf(toLoad, loadCount), keys, owned, keyBytes, bulkLoader, result);
    }
  }

  /**
   * Puts a decodable MGET hit into L1 and the result; false for a miss or a corrupt value (the
   * latter deleted from Redis and counted).
   */
  private boolean storeHit(
      K k, Flight<V> f, KeyValue<byte[], byte[]> kv, byte[] rk, Map<K, V> result) {
    if (!kv.hasValue()) {
      return false;
    }
    Entry<V> e = loads.decodeEntry(kv.getValue(), rk.length);
    if (e == null) {
      loads.corrupt(rk);
      return false;
    }
    loads.finish(k, f, e, e.forL1());
    c.flights().remove(k, f);
    if (e.value != null) {
      result.put(k, e.value);
    }
    return true;
  }

  private void bulkLoad(
      int[] toLoad,
      List<K> keys,
      List<Flight<V>> owned,
      byte[][] keyBytes,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader,
      Map<K, V> result) {
    Set<K> asked = new LinkedHashSet<>();
    for (int i : toLoad) {
      asked.add(keys.get(i));
    }
    Map<? extends K, ? extends V> loaded;
    try {
      loaded = timedLoad(asked, bulkLoader);
    } catch (RuntimeException | Error t) {
      for (int i : toLoad) {
        loads.abandon(keys.get(i), owned.get(i), t);
      }
      throw t;
    }
    L2Access l2 = c.l2;
    List<K> wKeys = new ArrayList<>();
    List<Flight<V>> wFlights = new ArrayList<>();
    List<byte[]> rks = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    long[] ttls = new long[toLoad.length];
    L1Maintenance.Writing bulkWrite = L1Maintenance.beginBulk();
    try {
      for (int i : toLoad) {
        K k = keys.get(i);
        V v = loaded == null ? null : loaded.get(k);
        Flight<V> f = owned.get(i);
        Loads.Prepared<V> p = loads.prepare(keyBytes[i], v);
        loads.finish(k, f, p.entry(), p.cacheable());
        if (v != null) {
          result.put(k, v);
        }
        byte[] stored = p.stored();
        if (l2 != null && stored != null && !f.isStale() && !loads.blocksRead(k)) {
          ttls[wKeys.size()] = TimeUnit.NANOSECONDS.toMillis(p.ttl());
          wKeys.add(k);
          wFlights.add(f);
          rks.add(l2.key(keyBytes[i]));
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
                      Flight<V> f = wFlights.get(i);
                      if (error == null) { // (the pipeline does not say which SET NX set)
                        c.writeBacks.landed(wKeys.get(i), rks.get(i)); // see WriteBacks
                      }
                      c.flights().remove(wKeys.get(i), f);
                      if (error == null && f.undoesWriteBack()) {
                        var unused = l2.del(rks.get(i));
                      }
                    }
                  });
    }
  }
}
