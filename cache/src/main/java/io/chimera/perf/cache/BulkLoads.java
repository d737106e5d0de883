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
    List<WriteBack<K, V>> writes = new ArrayList<>();
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
          long ttl = TimeUnit.NANOSECONDS.toMillis(p.ttl());
          writes.add(new WriteBack<>(k, f, l2.key(keyBytes[i]), stored, ttl));
        } else {
          c.flights().remove(k, f);
        }
      }
    } finally {
      L1Maintenance.endBulk(bulkWrite);
    }
    if (l2 != null && !writes.isEmpty()) {
      writeBack(l2, writes);
    }
  }

  /** One key's write-back in {@link #writeBack}. */
  private static final class WriteBack<K, V> {
    final K key;
    final Flight<V> flight;
    final byte[] rk;
    final byte[] value;
    final long ttl;

    WriteBack(K key, Flight<V> flight, byte[] rk, byte[] value, long ttl) {
      this.key = key;
      this.flight = flight;
      this.rk = rk;
      this.value = value;
      this.ttl = ttl;
    }
  }

  /**
   * Sends the write-backs in one pipeline, each recorded right before (see {@link WriteBacks}), not
   * while the values were encoded: an invalidation waits for what it finds recorded to be answered.
   */
  private void writeBack(L2Access l2, List<WriteBack<K, V>> writes) {
    List<WriteBack<K, V>> sent = new ArrayList<>(writes.size());
    List<WriteBacks.Sent<K>> records = new ArrayList<>(writes.size());
    for (WriteBack<K, V> w : writes) {
      WriteBacks.Sent<K> record = c.writeBacks.start(w.key, w.rk, w.flight);
      if (record == null) { // stale since: not sent
        c.flights().remove(w.key, w.flight);
      } else {
        sent.add(w);
        records.add(record);
      }
    }
    if (sent.isEmpty()) {
      return;
    }
    List<byte[]> rks = new ArrayList<>(sent.size());
    List<byte[]> values = new ArrayList<>(sent.size());
    long[] ttls = new long[sent.size()];
    for (int i = 0; i < sent.size(); i++) {
      rks.add(sent.get(i).rk);
      values.add(sent.get(i).value);
      ttls[i] = sent.get(i).ttl;
    }
    var unusedWrite =
        l2.setAllIfAbsent(rks, values, ttls)
            .whenComplete(
                (r, error) -> {
                  for (int i = 0; i < sent.size(); i++) {
                    c.flights().remove(sent.get(i).key, sent.get(i).flight);
                    c.writeBacks.settled(records.get(i));
                  }
                });
  }
}
