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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
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
 *       L1, against a raw MGET of the same keys (target: at least 0.9x).
 * </ul>
 *
 * <p>L1 really is bypassed: the cache runs the Caffeine maintenance that its own L1 writes trigger
 * on the writing thread (its default), so the one-entry bound is enforced at each write rather than
 * later on a pool thread (before, "L2" reads hit L1 entries not yet evicted). {@link #tearDown}
 * checks the {@code bench-l2} cache's own L1 hit counter and fails the run if more than 1% of its
 * lookups hit L1, and fails an L1-hit run whose cache missed L1 on more than 0.1% of its lookups.
 */
@State(Scope.Benchmark)
public class TieredCacheBenchmark {

  static final int KEYS = 1000;
  static final String VALUE = "v".repeat(1024);

  RedisServer server;
  SimpleMeterRegistry registry;
  RedisTier tier;
  TieredCache<String, String> l1Cache;
  TieredCache<String, String> l2Cache;
  TieredCache<String, String> l1CacheAtBound;
  Cache<String, String> caffeineAtBound;
  Cache<String, String> caffeine;
  Cache<String, String> caffeineLikeL1;
  Cache<String, String> caffeineExpiring;
  RedisClient rawClient;
  StatefulRedisConnection<byte[], byte[]> raw;
  String[] keys;
  byte[][] rawKeys;
  List<String> bulk;
  byte[][] rawBulk;
  final Function<String, String> loader = k -> VALUE;
  final LongAdder hits = new LongAdder();
  final LongAdder removals = new LongAdder();
  final Function<Object, Map<String, String>> bulkLoader = ks -> Map.of();

  @Setup
  public void setup() {
    String url = System.getenv("CHIMERA_REDIS_URL");
    if (url == null) {
      server = RedisServer.launch();
      url = server.uri();
    }
    registry = new SimpleMeterRegistry();
    tier =
        RedisTier.builder(url)
            .commandTimeout(Duration.ofSeconds(1))
            .meterRegistry(registry)
            .build();
    l1Cache =
        TieredCache.builder("bench-l1")
            .keyCodec(CacheCodec.utf8())
            .valueCodec(CacheCodec.utf8())
            .redisTier(tier)
            .meterRegistry(registry)
            .build();
    l2Cache =
        TieredCache.builder("bench-l2")
            .keyCodec(CacheCodec.utf8())
            .valueCodec(CacheCodec.utf8())
            .redisTier(tier)
            .l1MaximumEntries(1)
            .meterRegistry(registry)
            .build();
    caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
    l1CacheAtBound =
        TieredCache.builder("bench-l1-at-bound")
            .keyCodec(CacheCodec.utf8())
            .valueCodec(CacheCodec.utf8())
            .redisTier(tier)
            .l1MaximumEntries(KEYS)
            .meterRegistry(registry)
            .build();
    caffeineAtBound = Caffeine.newBuilder().maximumSize(KEYS).build();
    caffeineLikeL1 =
        Caffeine.newBuilder()
            .maximumSize(TieredCacheBuilder.DEFAULT_L1_MAXIMUM_ENTRIES)
            .executor(ForkJoinPool.commonPool())
            .evictionListener((String k, String v, RemovalCause cause) -> removals.increment())
            .build();
    caffeineExpiring =
        Caffeine.newBuilder()
            .maximumSize(TieredCacheBuilder.DEFAULT_L1_MAXIMUM_ENTRIES)
            .expireAfterWrite(TieredCacheBuilder.DEFAULT_L1_TTL.multipliedBy(11).dividedBy(10))
            .build();
    rawClient = RedisClient.create(url);
    raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    keys = new String[KEYS];
    rawKeys = new byte[KEYS][];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key-" + i;
      l1Cache.put(keys[i], VALUE);
      l2Cache.put(keys[i], VALUE);
      caffeine.put(keys[i], VALUE);
      l1CacheAtBound.put(keys[i], VALUE);
      caffeineAtBound.put(keys[i], VALUE);
      caffeineLikeL1.put(keys[i], VALUE);
      caffeineExpiring.put(keys[i], VALUE);
      rawKeys[i] = ("raw:" + keys[i]).getBytes(StandardCharsets.UTF_8);
      raw.sync().set(rawKeys[i], VALUE.getBytes(StandardCharsets.UTF_8));
    }
    bulk = new ArrayList<>(Arrays.asList(keys).subList(0, 100));
    rawBulk = Arrays.copyOf(rawKeys, 100);
  }

  @TearDown
  public void tearDown() {
    double l1Hits = l1Requests("bench-l2", MetricNames.RESULT_HIT);
    double lookups = l1Hits + l1Requests("bench-l2", MetricNames.RESULT_MISS);
    if (lookups > 0 && l1Hits > 0.01 * lookups) {
      throw new IllegalStateException(
          "bench-l2 hit L1 on " + l1Hits + " of " + lookups + " lookups: not an L2 benchmark");
    }
    for (String hitsOnly : new String[] {"bench-l1", "bench-l1-at-bound"}) {
      double misses = l1Requests(hitsOnly, MetricNames.RESULT_MISS);
      double all = misses + l1Requests(hitsOnly, MetricNames.RESULT_HIT);
      if (misses > 0.001 * all) {
        throw new IllegalStateException(
            hitsOnly + " missed L1 on " + misses + " of " + all + " lookups: not an L1-hit run");
      }
    }
    l1Cache.close();
    l1CacheAtBound.close();
    l2Cache.close();
    tier.close();
    raw.close();
    rawClient.shutdown();
    if (server != null) {
      server.close();
    }
  }

  private double l1Requests(String cache, String result) {
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

  private static int next() {
    return ThreadLocalRandom.current().nextInt(KEYS);
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitTiered() {
    return l1Cache.get(keys[next()], loader);
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeine() {
    return caffeine.getIfPresent(keys[next()]);
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
  public String l1HitCaffeineLikeL1() {
    return caffeineLikeL1.getIfPresent(keys[next()]);
  }

  /**
   * Not a target: raw Caffeine with the L1 policy the cache had before its sweep, a size bound plus
   * {@code expireAfterWrite} at the longest L1 life, to show what that expiry alone costs a read.
   */
  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeineExpireAfterWrite() {
    return caffeineExpiring.getIfPresent(keys[next()]);
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
  public String l1HitCaffeineCounted() {
    String v = caffeine.getIfPresent(keys[next()]);
    hits.increment();
    return v;
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitTieredAtBound() {
    return l1CacheAtBound.get(keys[next()], loader);
  }

  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l1HitCaffeineAtBound() {
    return caffeineAtBound.getIfPresent(keys[next()]);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l2HitTiered() {
    return l2Cache.get(keys[next()], loader);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String l2HitLettuce() {
    byte[] v = raw.sync().get(rawKeys[next()]);
    return new String(v, StandardCharsets.UTF_8);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Map<String, String> getAll100Tiered() {
    return l2Cache.getAll(bulk, bulkLoader);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int getAll100Mget() {
    List<KeyValue<byte[], byte[]>> kvs = raw.sync().mget(rawBulk);
    int n = 0;
    for (KeyValue<byte[], byte[]> kv : kvs) {
      if (kv.hasValue() && new String(kv.getValue(), StandardCharsets.UTF_8).length() > 0) {
        n++;
      }
    }
    return n;
  }
}
