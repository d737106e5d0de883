package io.chimera.perf.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.chimera.perf.cache.CacheCodec;
import io.chimera.perf.cache.RedisTier;
import io.chimera.perf.cache.TieredCache;
import io.chimera.perf.cache.TieredCacheBuilder;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link TieredCache} against the raw libraries, same run, 1 KiB values, loopback Redis (from
 * {@code CHIMERA_REDIS_URL} or the testing module's {@link RedisServer}):
 *
 * <ul>
 *   <li>{@code l1Hit*}: an L1-hit {@code get} against Caffeine's {@code getIfPresent}, 2 threads,
 *       throughput (target: at least 0.8x); for reference, {@code l1HitCaffeineLikeL1} is raw
 *       Caffeine built like the cache's L1, {@code l1HitCaffeineExpireAfterWrite} like the L1
 *       before it dropped Caffeine's expiry, and {@code l1HitCaffeineCounted} adds a {@link
 *       LongAdder} hit count.
 *   <li>{@code l1Hit*AtBound}: the same pair with L1 (and the raw Caffeine) bounded to exactly the
 *       1000 keys. Below half its bound Caffeine does not record reads at all (its frequency sketch
 *       is not built yet), so the first pair compares against Caffeine's cheapest read; a cache at
 *       its bound, the steady state of a busy L1, records every read in its read buffer.
 *   <li>{@code l2Hit*}: an L1-miss, L2-hit {@code get} against a raw Lettuce GET (decoded the same
 *       way), 1 thread, average time (target: within 1.1x). The cache's L1 is bounded to one entry
 *       and the keys rotate over 1000 at random, so (nearly) every call misses L1, reads Redis and
 *       puts the value into L1, evicting the previous one: the whole L2-hit path.
 *   <li>{@code getAll100*}: {@code getAll} of 100 keys, all in L2 and (but for at most one) none in
 *       L1, against a raw MGET of the same keys (target: at least 0.9x). For reference, not a
 *       target, {@code getAll100MgetIntoCaffeine} is the same MGET plus what a hand-written
 *       two-tier {@code getAll} adds with the raw libraries: each value put into a one-entry
 *       Caffeine that runs its maintenance on the calling thread (as the cache's L1 does for its
 *       writes), and a result map. The cache's L1 writes must evict (its L1 holds one entry), so
 *       this pair says what the cache costs beyond the raw libraries doing the same work, while the
 *       target pair also counts the L1 writes themselves.
 * </ul>
 *
 * <p>L1 really is bypassed: the cache runs the Caffeine maintenance that its own L1 writes trigger
 * on the writing thread (its default), so the one-entry bound is enforced at each write rather than
 * later on a pool thread (before, "L2" reads hit L1 entries not yet evicted). {@link L2#tearDown}
 * fails the run if more than 1% of the {@code bench-l2} cache's lookups hit L1, and the L1-hit
 * states fail a run whose cache missed L1 on more than 0.1% of its lookups.
 *
 * <p>Each pair has its own {@link State}: a fork builds only the two subjects it compares (plus the
 * Redis and tier both sides share), never the caches of the other pairs.
 */
public class TieredCacheBenchmark {

  static final int KEYS = 1000;
  static final String VALUE = "v".repeat(1024);
  static final Function<String, String> LOADER = k -> VALUE;

  /**
   * What every pair's fork holds besides its two subjects: a loopback Redis and one {@link
   * RedisTier} (with its Lettuce threads), so both sides of a pair run beside the same background
   * threads. Each pair has its own state, so a fork builds and fills only the caches it measures:
   * filling unrelated caches in the same JVM first (as one shared state did) trains the JIT's type
   * profiles inside Caffeine on other cache classes, which slowed one side or the other at random.
   */
  abstract static class WithRedis {
    final String[] keys = new String[KEYS];
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @Nullable RedisServer server;
    String url = "";
    @Nullable RedisTier tier;

    WithRedis() {
      for (int i = 0; i < KEYS; i++) {
        keys[i] = "key-" + i;
      }
    }

    final void startRedis() {
      String fromEnv = System.getenv("CHIMERA_REDIS_URL");
      if (fromEnv == null) {
        RedisServer launched = RedisServer.launch();
        server = launched;
        url = launched.uri();
      } else {
        url = fromEnv;
      }
      tier =
          RedisTier.builder(url)
              .commandTimeout(Duration.ofSeconds(1))
              .meterRegistry(registry)
              .build();
    }

    /**
     * A UTF-8 string cache on the tier, its L1 bounded to {@code maxEntries}, holding every key.
     */
    final TieredCache<String, String> filledCache(String name, long maxEntries) {
      TieredCache<String, String> c =
          TieredCache.builder(name)
              .keyCodec(CacheCodec.utf8())
              .valueCodec(CacheCodec.utf8())
              .redisTier(Objects.requireNonNull(tier))
              .l1MaximumEntries(maxEntries)
              .meterRegistry(registry)
              .build();
      for (String k : keys) {
        c.put(k, VALUE);
      }
      return c;
    }

    final Cache<String, String> filled(Caffeine<Object, Object> builder) {
      Cache<String, String> c = builder.build();
      for (String k : keys) {
        c.put(k, VALUE);
      }
      return c;
    }

    /** Fails the run if {@code cache} missed L1 on more than 0.1% of its lookups. */
    final void requireL1Hits(String cache) {
      double misses = l1Requests(cache, MetricNames.RESULT_MISS);
      double all = misses + l1Requests(cache, MetricNames.RESULT_HIT);
      if (misses > 0.001 * all) {
        throw new IllegalStateException(
            cache + " missed L1 on " + misses + " of " + all + " lookups: not an L1-hit run");
      }
    }

    final double l1Requests(String cache, String result) {
      FunctionCounter c =
          registry
              .find(MetricNames.CACHE_REQUESTS)
              .tags(
                  MetricNames.TAG_CACHE,
                  cache,
                  MetricNames.TAG_TIER,
                  MetricNames.TIER_L1,
                  MetricNames.TAG_RESULT,
                  result)
              .functionCounter();
      return c == null ? 0 : c.count();
    }

    final void stopRedis() {
      if (tier != null) {
        tier.close();
      }
      if (server != null) {
        server.close();
      }
    }

    final String nextKey() {
      return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }
  }

  /** The L1-hit pair with L1 below half its bound: our cache and a raw Caffeine of 10,000. */
  @State(Scope.Benchmark)
  public static class L1 extends WithRedis {
    TieredCache<String, String> cache;
    Cache<String, String> caffeine;
    final LongAdder hits = new LongAdder();

    @Setup
    public void setup() {
      startRedis();
      cache = filledCache("bench-l1", TieredCacheBuilder.DEFAULT_L1_MAXIMUM_ENTRIES);
      caffeine = filled(Caffeine.newBuilder().maximumSize(10_000));
    }

    @TearDown
    public void tearDown() {
      try {
        requireL1Hits("bench-l1");
      } finally {
        cache.close();
        stopRedis();
      }
    }
  }

  /** The L1-hit pair with L1, and the raw Caffeine, bounded to exactly the {@value #KEYS} keys. */
  @State(Scope.Benchmark)
  public static class AtBound extends WithRedis {
    TieredCache<String, String> cache;
    Cache<String, String> caffeine;

    @Setup
    public void setup() {
      startRedis();
      cache = filledCache("bench-l1-at-bound", KEYS);
      caffeine = filled(Caffeine.newBuilder().maximumSize(KEYS));
    }

    @TearDown
    public void tearDown() {
      try {
        requireL1Hits("bench-l1-at-bound");
      } finally {
        cache.close();
        stopRedis();
      }
    }
  }

  /** Raw Caffeine built two other ways, for reference against {@link #l1HitCaffeine}. */
  @State(Scope.Benchmark)
  public static class CaffeineVariants extends WithRedis {
    final LongAdder removals = new LongAdder();
    Cache<String, String> likeL1;
    Cache<String, String> expiring;

    @Setup
    public void setup() {
      startRedis();
      likeL1 =
          filled(
              Caffeine.newBuilder()
                  .maximumSize(TieredCacheBuilder.DEFAULT_L1_MAXIMUM_ENTRIES)
                  .executor(ForkJoinPool.commonPool())
                  .evictionListener((Object k, Object v, RemovalCause c) -> removals.increment()));
      expiring =
          filled(
              Caffeine.newBuilder()
                  .maximumSize(TieredCacheBuilder.DEFAULT_L1_MAXIMUM_ENTRIES)
                  .expireAfterWrite(
                      TieredCacheBuilder.DEFAULT_L1_TTL.multipliedBy(11).dividedBy(10)));
    }

    @TearDown
    public void tearDown() {
      stopRedis();
    }
  }

  /**
   * The L2 pairs: a cache whose L1 holds one entry (so nearly every {@code get} reads Redis) and a
   * raw Lettuce connection, both over the same {@value #KEYS} values in Redis.
   */
  @State(Scope.Benchmark)
  public static class L2 extends WithRedis {
    TieredCache<String, String> cache;
    RedisClient rawClient;
    StatefulRedisConnection<byte[], byte[]> raw;
    final byte[][] rawKeys = new byte[KEYS][];
    List<String> bulk;
    byte[][] rawBulk;

    /** The raw L1 of {@link #getAll100MgetIntoCaffeine}: one entry, maintenance inline. */
    final Cache<String, String> rawL1 =
        Caffeine.newBuilder().maximumSize(1).executor(Runnable::run).build();

    final Function<Object, Map<String, String>> bulkLoader = ks -> Map.of();

    @Setup
    public void setup() {
      startRedis();
      cache = filledCache("bench-l2", 1);
      rawClient = RedisClient.create(url);
      raw = rawClient.connect(ByteArrayCodec.INSTANCE);
      for (int i = 0; i < KEYS; i++) {
        rawKeys[i] = ("raw:" + keys[i]).getBytes(StandardCharsets.UTF_8);
        raw.sync().set(rawKeys[i], VALUE.getBytes(StandardCharsets.UTF_8));
      }
      bulk = new ArrayList<>(Arrays.asList(keys).subList(0, 100));
      rawBulk = Arrays.copyOf(rawKeys, 100);
    }

    /** Fails the run if more than 1% of the cache's lookups hit L1: then it measured no L2 read. */
    @TearDown
    public void tearDown() {
      double l1Hits = l1Requests("bench-l2", MetricNames.RESULT_HIT);
      double lookups = l1Hits + l1Requests("bench-l2", MetricNames.RESULT_MISS);
      cache.close();
      raw.close();
      rawClient.shutdown();
      stopRedis();
      if (lookups > 0 && l1Hits > 0.01 * lookups) {
        throw new IllegalStateException(
            "bench-l2 hit L1 on " + l1Hits + " of " + lookups + " lookups: not an L2 benchmark");
      }
    }

    byte[] nextRawKey() {
      return rawKeys[ThreadLocalRandom.current().nextInt(KEYS)];
    }
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitTiered(L1 s) {
    return s.cache.get(s.nextKey(), LOADER);
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeine(L1 s) {
    return s.caffeine.getIfPresent(s.nextKey());
  }

  /**
   * Not a target: raw Caffeine built with the policy of the cache's L1 (size bound, eviction
   * listener, maintenance executor, no Caffeine expiry: entries carry their own TTL, checked on
   * read, and a periodic sweep removes the expired ones nobody reads).
   */
  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeineLikeL1(CaffeineVariants s) {
    return s.likeL1.getIfPresent(s.nextKey());
  }

  /**
   * Not a target: raw Caffeine with the L1 policy the cache had before its sweep, a size bound plus
   * {@code expireAfterWrite} at the longest L1 life, to show what that expiry alone costs a read.
   */
  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeineExpireAfterWrite(CaffeineVariants s) {
    return s.expiring.getIfPresent(s.nextKey());
  }

  /**
   * Not a target: Caffeine's {@code getIfPresent} plus one {@link LongAdder} hit count, the way
   * {@link TieredCache} counted hits before its {@code OwnedCounter} (a plain write to a cell the
   * thread owns). With L1 under half full Caffeine's own hit does no atomic write at all, so this
   * atomic increment alone cost about a fifth of a hit at 2 threads.
   */
  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeineCounted(L1 s) {
    String v = s.caffeine.getIfPresent(s.nextKey());
    s.hits.increment();
    return v;
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitTieredAtBound(AtBound s) {
    return s.cache.get(s.nextKey(), LOADER);
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeineAtBound(AtBound s) {
    return s.caffeine.getIfPresent(s.nextKey());
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l2HitTiered(L2 s) {
    return s.cache.get(s.nextKey(), LOADER);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l2HitLettuce(L2 s) {
    byte[] v = s.raw.sync().get(s.nextRawKey());
    return new String(v, StandardCharsets.UTF_8);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Map<String, String> getAll100Tiered(L2 s) {
    return s.cache.getAll(s.bulk, s.bulkLoader);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int getAll100Mget(L2 s) {
    List<KeyValue<byte[], byte[]>> kvs = s.raw.sync().mget(s.rawBulk);
    int n = 0;
    for (KeyValue<byte[], byte[]> kv : kvs) {
      if (kv.hasValue() && new String(kv.getValue(), StandardCharsets.UTF_8).length() > 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * Not a target: the MGET of {@link #getAll100Mget} as a hand-written two-tier {@code getAll}
   * would use it, each value decoded, put into a one-entry raw Caffeine (evicting the previous one
   * there and then) and returned in a map.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Map<String, String> getAll100MgetIntoCaffeine(L2 s) {
    List<KeyValue<byte[], byte[]>> kvs = s.raw.sync().mget(s.rawBulk);
    Map<String, String> result = new LinkedHashMap<>(2 * kvs.size());
    for (int i = 0; i < kvs.size(); i++) {
      KeyValue<byte[], byte[]> kv = kvs.get(i);
      if (kv.hasValue()) {
        String key = s.bulk.get(i);
        String value = new String(kv.getValue(), StandardCharsets.UTF_8);
        s.rawL1.put(key, value);
        result.put(key, value);
      }
    }
    return result;
  }
}
