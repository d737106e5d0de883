package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.cache;
import static io.chimera.perf.cache.RedisFixtures.cacheBuilder;
import static io.chimera.perf.cache.RedisFixtures.eventually;
import static io.chimera.perf.cache.RedisFixtures.evictions;
import static io.chimera.perf.cache.RedisFixtures.l2Operations;
import static io.chimera.perf.cache.RedisFixtures.tier;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chimera.perf.breaker.ProviderBreakers;
import io.chimera.perf.compression.ContentCoding;
import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances (separate clients) sharing one real Redis. */
class TieredCacheIT {

  private static RedisServer redis;
  private static RedisClient rawClient;
  private static StatefulRedisConnection<String, String> raw;

  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private RedisTier tierA;
  private RedisTier tierB;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.launch();
    rawClient = RedisClient.create(redis.uri());
    raw = rawClient.connect();
  }

  @AfterAll
  static void stopRedis() {
    raw.close();
    rawClient.shutdown();
    redis.close();
  }

  @BeforeEach
  void tiers() {
    raw.sync().flushall();
    tierA = tier(redis.uri(), registryA);
    tierB = tier(redis.uri(), registryB);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    tierA.close();
    tierB.close();
  }

  /**
   * A tier with a long command timeout, so that a call blocking its event loop would wait a second
   * (and time out, counted), not 50 ms.
   */
  private RedisTier slowTimeoutTier() {
    return track(
        RedisTier.builder(redis.uri())
            .name("slow-timeout")
            .commandTimeout(Duration.ofSeconds(1))
            .meterRegistry(registryA)
            .build());
  }

  /** A cache on tier A with these codecs (a {@link PausingCodec} to hold a write or a load). */
  private TieredCache<String, String> onTierA(
      String name, CacheCodec<String> keys, CacheCodec<String> values) {
    return track(
        TieredCache.builder(name)
            .keyCodec(keys)
            .valueCodec(values)
            .redisTier(tierA)
            .meterRegistry(registryA)
            .build());
  }

  private <T extends AutoCloseable> T track(T c) {
    toClose.add(c);
    return c;
  }

  @Test
  void valueLoadedOnOneInstanceIsAnL2HitOnTheOther() {
    TieredCache<String, String> a = track(cache("shared", tierA, registryA));
    TieredCache<String, String> b = track(cache("shared", tierB, registryB));
    assertThat(a.get("k", k -> "v")).isEqualTo("v");
    eventually(
        Duration.ofSeconds(2), "write-back", () -> raw.sync().exists("chimera:shared:k") == 1);
    AtomicInteger loads = new AtomicInteger();
    assertThat(b.get("k", k -> "other" + loads.incrementAndGet())).isEqualTo("v");
    assertThat(loads).hasValue(0);
    assertThat(requests(registryB, MetricNames.TIER_L2, MetricNames.RESULT_HIT)).isEqualTo(1);
    // B: one L1 miss that Redis answered; A: one load
    assertThat(hitRatio(registryB, MetricNames.TIER_L1)).isEqualTo(0.0);
    assertThat(hitRatio(registryB, MetricNames.TIER_L2)).isEqualTo(1.0);
    assertThat(hitRatio(registryB, MetricNames.TIER_COMBINED)).isEqualTo(1.0);
    var aLoads =
        registryA
            .get(MetricNames.CACHE_LOAD)
            .tag(MetricNames.TAG_RESULT, MetricNames.OUTCOME_SUCCESS)
            .timer();
    assertThat(aLoads.count()).isEqualTo(1);
    assertThat(aLoads.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(a.health()).isEqualTo(Health.UP);
  }

  @Test
  void redisKeysLiveForTheJitteredL2TtlOrAPutsOwnAndAbsentEntriesReachTheOtherInstance() {
    TieredCache<String, String> a = track(ttlCache(tierA, registryA));
    TieredCache<String, String> b = track(ttlCache(tierB, registryB));
    List<Long> ttls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      assertThat(a.put("k" + i, "v")).isTrue();
      ttls.add(raw.sync().pttl("chimera:ttl:k" + i));
    }
    // 10 min +/- 10%: within 9 to 11 min, and spread, not all written to expire together
    assertThat(ttls).allSatisfy(t -> assertThat(t).isBetween(540_000L, 660_000L));
    assertThat(
            ttls.stream().mapToLong(t -> t).max().getAsLong()
                - ttls.stream().mapToLong(t -> t).min().getAsLong())
        .isGreaterThan(30_000L);

    assertThat(a.put("own", "v", Duration.ofSeconds(5))).isTrue();
    assertThat(raw.sync().pttl("chimera:ttl:own")).isBetween(4_000L, 5_000L);

    assertThat(a.get("none", k -> null)).isNull();
    eventually(
        Duration.ofSeconds(2), "absent written", () -> raw.sync().exists("chimera:ttl:none") == 1);
    assertThat(raw.sync().pttl("chimera:ttl:none")).isBetween(25_000L, 30_000L);
    AtomicInteger loads = new AtomicInteger();
    assertThat(b.get("none", k -> "loaded " + loads.incrementAndGet())).isNull();
    assertThat(loads).hasValue(0);
  }

  @Test
  void anotherInstanceNeverKeepsAnL2HitInL1PastTheLifeItsWriterGaveItInRedis() {
    // acknowledged: a put returns once B has dropped the key, so no late drop can empty B's L1
    TieredCache<String, String> a = track(acked("life", tierA, registryA).build());
    TieredCache<String, String> b = track(acked("life", tierB, registryB).build());
    assertThat(a.put("get", "v", Duration.ofSeconds(1))).isTrue();
    assertThat(a.put("bulk", "v", Duration.ofSeconds(1))).isTrue();
    assertThat(b.get("get", k -> "loaded")).isEqualTo("v");
    assertThat(b.getAll(List.of("bulk"), ks -> Map.of())).containsEntry("bulk", "v");
    assertThat(b.l1.caffeine.asMap()).containsKeys("get", "bulk");
    eventually(
        Duration.ofSeconds(3),
        "Redis expired both keys",
        () -> raw.sync().exists("chimera:life:get", "chimera:life:bulk") == 0);
    sleepQuietly(20); // L1 reads a clock that may lag the wall clock by a millisecond
    // without the deadline, B's L1 would serve "v" for its whole 5-minute L1 TTL
    assertThat(b.get("get", k -> "loaded")).isEqualTo("loaded");
    assertThat(b.getAll(List.of("bulk"), ks -> Map.of("bulk", "loaded")))
        .containsEntry("bulk", "loaded");
  }

  @Test
  void anL2HitIsKeptInL1UntilItsDeadlineAndOneAlreadyPastItIsServedButNotKept() {
    AtomicLong now = new AtomicLong();
    TieredCache<String, String> b =
        track(cacheBuilder("deadline", tierB, registryB).ticker(now::get).build());
    // as a writer whose clock is behind would leave them: Redis keeps them longer than their
    // deadlines (a minute), which say 10 s from now and 1 s ago
    long wall = System.currentTimeMillis();
    plant("chimera:deadline:soon", wall + 10_000);
    plant("chimera:deadline:bulk-soon", wall + 10_000);
    plant("chimera:deadline:past", wall - 1_000);
    plant("chimera:deadline:bulk-past", wall - 1_000);
    List<String> bulk = List.of("bulk-soon", "bulk-past");
    assertThat(b.get("soon", k -> "loaded")).isEqualTo("v");
    assertThat(b.get("past", k -> "loaded")).isEqualTo("v");
    assertThat(b.getAll(bulk, ks -> Map.of())).containsOnlyKeys(bulk);
    assertThat(b.l1.caffeine.asMap()).containsOnlyKeys("soon", "bulk-soon");

    now.addAndGet(Duration.ofSeconds(8).toNanos()); // (up to 2 s passed for real since the plant)
    double hits = requests(registryB, MetricNames.TIER_L1, MetricNames.RESULT_HIT);
    assertThat(b.get("soon", k -> "loaded")).isEqualTo("v");
    assertThat(b.getAll(List.of("bulk-soon"), ks -> Map.of())).containsEntry("bulk-soon", "v");
    assertThat(requests(registryB, MetricNames.TIER_L1, MetricNames.RESULT_HIT) - hits)
        .isEqualTo(2);

    // past the 10 s deadline on the cache's clock: without it L1 would keep them for 5 minutes
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    double misses = requests(registryB, MetricNames.TIER_L1, MetricNames.RESULT_MISS);
    assertThat(b.get("soon", k -> "loaded")).isEqualTo("v");
    assertThat(b.getAll(List.of("bulk-soon"), ks -> Map.of())).containsEntry("bulk-soon", "v");
    assertThat(b.get("past", k -> "loaded")).isEqualTo("v");
    assertThat(b.getAll(List.of("bulk-past"), ks -> Map.of())).containsEntry("bulk-past", "v");
    assertThat(requests(registryB, MetricNames.TIER_L1, MetricNames.RESULT_MISS) - misses)
        .isEqualTo(4);
    assertThat(b.l1.caffeine.asMap()).doesNotContainKeys("past", "bulk-past");
  }

  /** Writes "v" as this cache's envelope with {@code deadline}, kept by Redis for a minute. */
  private static void plant(String key, long deadline) {
    try (Envelope plain = new Envelope(null, ContentCoding.GZIP, Integer.MAX_VALUE, 1 << 20);
        var c = rawClient.connect(ByteArrayCodec.INSTANCE)) {
      c.sync()
          .set(
              key.getBytes(StandardCharsets.UTF_8),
              plain.wrap("v".getBytes(StandardCharsets.UTF_8), deadline),
              io.lettuce.core.SetArgs.Builder.px(60_000));
    }
  }

  private static TieredCacheBuilder<String, String> acked(
      String name, RedisTier tier, SimpleMeterRegistry registry) {
    return cacheBuilder(name, tier, registry).acknowledgedInvalidation(Duration.ofSeconds(2));
  }

  /** Lookups of {@code tier} with {@code result}, of the one cache in {@code registry}. */
  private static double requests(SimpleMeterRegistry registry, String tier, String result) {
    return registry
        .get(MetricNames.CACHE_REQUESTS)
        .tag(MetricNames.TAG_TIER, tier)
        .tag(MetricNames.TAG_RESULT, result)
        .functionCounter()
        .count();
  }

  private static TieredCache<String, String> ttlCache(
      RedisTier tier, SimpleMeterRegistry registry) {
    return cacheBuilder("ttl", tier, registry)
        .l2Ttl(Duration.ofMinutes(10))
        .ttlJitter(0.1)
        .negativeTtl(Duration.ofSeconds(30))
        .build();
  }

  /** A loader that remembers the thread it ran on. */
  private static Function<String, String> recording(AtomicReference<Thread> thread, String value) {
    return k -> {
      thread.set(Thread.currentThread());
      return value;
    };
  }

  private static double hitRatio(SimpleMeterRegistry registry, String tier) {
    return registry
        .get(MetricNames.CACHE_HIT_RATIO)
        .tag(MetricNames.TAG_TIER, tier)
        .gauge()
        .value();
  }

  @Test
  void invalidationOnOneInstanceDropsTheOthersL1WithinASecond() {
    TieredCache<String, String> a = track(cache("inval", tierA, registryA));
    TieredCache<String, String> b = track(cache("inval", tierB, registryB));
    assertThat(a.put("k", "v1")).isTrue();
    assertThat(b.get("k", k -> "loaded")).isEqualTo("v1");
    // A's put publishes an invalidation too; if it reaches B while B's first get is reading
    // Redis, B rightly serves v1 without keeping it in L1. Read until B holds it.
    eventually(
        Duration.ofSeconds(5),
        "B keeps k in L1",
        () -> "v1".equals(b.get("k", k -> "loaded")) && b.l1.caffeine.getIfPresent("k") != null);
    assertThat(a.invalidate("k")).isTrue();
    eventually(
        Duration.ofSeconds(1), "B's L1 drops k", () -> b.l1.caffeine.getIfPresent("k") == null);
    assertThat(b.get("k", k -> "fresh")).isEqualTo("fresh");
  }

  @Test
  void putOnOneInstanceReplacesTheValueTheOtherServes() {
    TieredCache<String, String> a = track(cache("puts", tierA, registryA));
    TieredCache<String, String> b = track(cache("puts", tierB, registryB));
    a.put("k", "v1");
    assertThat(b.get("k", k -> "x")).isEqualTo("v1");
    assertThat(a.put("k", "v2")).isTrue();
    eventually(Duration.ofSeconds(1), "B serves v2", () -> "v2".equals(b.get("k", k -> "x")));
  }

  @Test
  void loadInFlightWhenAnInvalidationArrivesNeverPutsTheOldValueInL1() throws Exception {
    TieredCache<String, String> a = track(cache("race", tierA, registryA));
    TieredCache<String, String> b = track(cache("race", tierB, registryB));
    raceLoadAgainstInvalidation(a, b, "sync", (key, loader) -> b.get(key, loader));
    raceLoadAgainstInvalidation(
        a, b, "async", (key, loader) -> b.getAsync(key, loader).get(5, TimeUnit.SECONDS));
    raceLoadAgainstInvalidation(
        a,
        b,
        "bulk",
        (key, loader) -> b.getAll(List.of(key), keys -> Map.of(key, loader.apply(key))).get(key));
  }

  /** How B loads one key: a get, a getAsync or a getAll. */
  private interface Load {
    String run(String key, Function<String, String> loader) throws Exception;
  }

  /**
   * B's load of {@code key} is in flight when A invalidates it: B returns what it loaded, but keeps
   * it in neither L1 nor Redis.
   */
  private static void raceLoadAgainstInvalidation(
      TieredCache<String, String> a, TieredCache<String, String> b, String key, Load load)
      throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> slow =
          pool.submit(
              () ->
                  load.run(
                      key,
                      k -> {
                        loading.countDown();
                        awaitQuietly(release);
                        return "old";
                      }));
      assertThat(loading.await(5, TimeUnit.SECONDS)).as(key).isTrue();
      assertThat(a.invalidate(key)).isTrue();
      eventually(
          Duration.ofSeconds(1), "B marks its flight stale", () -> !b.flights().containsKey(key));
      release.countDown();
      assertThat(slow.get(5, TimeUnit.SECONDS)).as(key).isEqualTo("old");
    } finally {
      pool.shutdownNow();
    }
    assertThat(b.l1.caffeine.getIfPresent(key)).as(key).isNull();
    Thread.sleep(100); // give a (wrong) write-back the chance to land
    assertThat(raw.sync().get("chimera:race:" + key)).as(key).isNull();
    assertThat(b.get(key, k -> "new")).as(key).isEqualTo("new");
  }

  @Test
  void corruptBytesInRedisAreACountedMissAndAreDeleted() {
    TieredCache<String, String> a = track(cache("corrupt", tierA, registryA));
    raw.sync().set("chimera:corrupt:k", "garbage from a foreign writer");
    assertThat(a.get("k", k -> "fresh")).isEqualTo("fresh");
    assertThat(evictions(registryA, MetricNames.CAUSE_CORRUPT)).isEqualTo(1);
    assertThat(
            registryA
                .get(MetricNames.CACHE_L2_OPERATIONS)
                .tag(MetricNames.TAG_OP, MetricNames.OP_GET)
                .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_CORRUPT)
                .timer()
                .count())
        .isEqualTo(1);
    eventually(
        Duration.ofSeconds(2),
        "garbage replaced",
        () -> {
          String v = raw.sync().get("chimera:corrupt:k");
          return v == null || v.endsWith("fresh");
        });
    // text starting with any character, even 9 bytes of it, is no envelope of ours
    raw.sync().set("chimera:corrupt:degrees", "°Celsius");
    raw.sync().set("chimera:corrupt:accent", "é-planted-by-redis-cli");
    assertThat(a.get("degrees", k -> "fresh")).isEqualTo("fresh");
    assertThat(a.getAll(List.of("accent"), ks -> Map.of("accent", "fresh")))
        .containsEntry("accent", "fresh");
    assertThat(evictions(registryA, MetricNames.CAUSE_CORRUPT)).isEqualTo(3);
  }

  @Test
  void manyThreadsMissingOneKeyRunTheLoaderOnce() throws Exception {
    TieredCache<String, String> a = track(cache("flight", tierA, registryA));
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(
            pool.submit(
                () -> {
                  awaitQuietly(start);
                  return a.get(
                      "hot",
                      k -> {
                        loads.incrementAndGet();
                        sleepQuietly(200);
                        return "value";
                      });
                }));
      }
      start.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("value");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void getAllReadsOneMgetAndWritesWhatItLoadedInOnePipeline() {
    TieredCache<String, String> a = track(cache("bulk", tierA, registryA));
    TieredCache<String, String> b = track(cache("bulk", tierB, registryB));
    a.put("a", "A");
    a.put("b", "B");
    List<Set<String>> calls = new ArrayList<>();
    Map<String, String> got =
        b.getAll(
            List.of("a", "b", "c", "d"),
            keys -> {
              calls.add(keys);
              return Map.of("c", "C", "d", "D");
            });
    assertThat(got)
        .containsOnly(
            Map.entry("a", "A"), Map.entry("b", "B"), Map.entry("c", "C"), Map.entry("d", "D"));
    assertThat(calls).containsExactly(Set.of("c", "d"));
    assertThat(
            registryB
                .get(MetricNames.CACHE_L2_OPERATIONS)
                .tag(MetricNames.TAG_OP, MetricNames.OP_MGET)
                .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_SUCCESS)
                .timer()
                .count())
        .isEqualTo(1);
    eventually(
        Duration.ofSeconds(2),
        "pipelined write of c and d",
        () -> raw.sync().exists("chimera:bulk:c", "chimera:bulk:d") == 2);
    a.l1.invalidateAll();
    assertThat(a.getAll(List.of("a", "b", "c", "d"), keys -> Map.of())).hasSize(4);
  }

  @Test
  void getAsyncLoadsOffTheEventLoopAndFillsL1() throws Exception {
    TieredCache<String, String> a = track(cache("async", tierA, registryA));
    AtomicReference<Thread> loaderThread = new AtomicReference<>();
    String v = a.getAsync("k", recording(loaderThread, "v")).get(5, TimeUnit.SECONDS);
    assertThat(v).isEqualTo("v");
    assertThat(loaderThread.get()).isNotInstanceOf(FastThreadLocalThread.class);
    assertThat(a.getAsync("k", k -> "other").get(1, TimeUnit.SECONDS)).isEqualTo("v");
    TieredCache<String, String> b = track(cache("async", tierB, registryB));
    eventually(
        Duration.ofSeconds(2), "write-back", () -> raw.sync().exists("chimera:async:k") == 1);
    assertThat(b.getAsync("k", k -> "other").get(5, TimeUnit.SECONDS)).isEqualTo("v");
  }

  @Test
  void aSyncGetOnTheTiersOwnEventLoopLoadsThereWithoutWaitingOnRedis() throws Exception {
    RedisTier slowTimeout = slowTimeoutTier();
    TieredCache<String, String> a = track(cache("loop", slowTimeout, registryA));
    AtomicReference<Thread> loaderThread = new AtomicReference<>();
    byte[] empty = "chimera:loop:empty-list".getBytes(StandardCharsets.UTF_8);
    // BLPOP answers after 100 ms, on the event loop of the tier's command connection, long after
    // the callback is attached: a blocking get there must not wait for a reply only that same
    // thread could read
    String v =
        slowTimeout
            .execute(k -> k.async().blpop(0.1, empty))
            .thenApply(unused -> a.get("k", recording(loaderThread, "loaded")))
            .get(5, TimeUnit.SECONDS);
    assertThat(v).isEqualTo("loaded");
    assertThat(loaderThread.get()).isInstanceOf(FastThreadLocalThread.class);
    assertThat(l2Operations(registryA, MetricNames.OUTCOME_TIMEOUT)).isZero();
  }

  @Test
  void onTheTiersOwnEventLoopReadsNeverWaitForRedisOrAnotherLoadAndWritesAreRefused()
      throws Exception {
    RedisTier slowTimeout = slowTimeoutTier();
    TieredCache<String, String> a = track(cache("loop-all", slowTimeout, registryA));
    assertThat(a.put("stored", "v")).isTrue();
    a.l1.invalidate("stored"); // in Redis only
    // another thread's load of "busy" that will not finish while the loop is held
    Flight<String> stuck = new Flight<>();
    a.flights().put("busy", stuck);
    byte[] empty = "chimera:loop-all:empty-list".getBytes(StandardCharsets.UTF_8);
    AtomicReference<String> readIfPresent = new AtomicReference<>("unset");
    AtomicReference<Throwable> refusedPut = new AtomicReference<>();
    Map<String, String> all;
    try {
      all =
          slowTimeout
              .execute(k -> k.async().blpop(0.1, empty))
              .thenApply(
                  unused -> {
                    readIfPresent.set(a.getIfPresent("stored"));
                    try {
                      a.put("stored", "v2");
                    } catch (IllegalStateException e) {
                      refusedPut.set(e);
                    }
                    return a.getAll(
                        List.of("busy", "stored"), ks -> Map.of("busy", "b", "stored", "s"));
                  })
              .get(5, TimeUnit.SECONDS);
      assertThat(a.flights()).containsOnlyKeys("busy"); // the other load's flight is left alone
    } finally {
      stuck.future.complete(new Entry<>("stuck", Long.MAX_VALUE / 4, 0, 0)); // frees a held loop
      a.flights().remove("busy", stuck);
    }
    assertThat(readIfPresent.get()).isNull(); // L1 only there
    assertThat(refusedPut.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cache 'loop-all'")
        .hasMessageContaining("event loop");
    assertThat(all).containsExactly(Map.entry("busy", "b"), Map.entry("stored", "s"));
    assertThat(l2Operations(registryA, MetricNames.OUTCOME_TIMEOUT)).isZero();
    assertThat(a.get("stored", k -> "loaded")).isEqualTo("v"); // off the loop: Redis as usual
  }

  @Test
  void healthIsDegradedUntilTheBreakerHasClosedAgainNotJustWhileItIsOpen() {
    try (ProviderBreakers breakers =
            ProviderBreakers.builder("health-check").meterRegistry(registryA).build();
        RedisTier tier =
            RedisTier.builder(redis.uri())
                .name("health-check")
                .breakers(breakers)
                .meterRegistry(registryA)
                .build()) {
      CircuitBreaker cb = breakers.circuitBreaker(RedisTier.BREAKER_PROVIDER);
      assertThat(tier.health()).isEqualTo(Health.UP);
      cb.transitionToOpenState();
      assertThat(tier.health()).isEqualTo(Health.DEGRADED);
      cb.transitionToHalfOpenState(); // probing: most calls are still refused
      assertThat(tier.health()).isEqualTo(Health.DEGRADED);
      cb.transitionToClosedState();
      assertThat(tier.health()).isEqualTo(Health.UP);
    }
  }

  @Test
  void invalidateAllClearsRedisAndEveryInstance() {
    TieredCache<String, String> a = track(cache("all", tierA, registryA));
    TieredCache<String, String> b = track(cache("all", tierB, registryB));
    for (int i = 0; i < 1200; i++) {
      a.put("k" + i, "v");
    }
    b.get("k1", k -> "x");
    raw.sync().set("chimera:other:k1", "untouched");
    assertThat(a.invalidateAll()).isTrue();
    assertThat(raw.sync().keys("chimera:all:*")).isEmpty();
    assertThat(raw.sync().get("chimera:other:k1")).isEqualTo("untouched");
    eventually(Duration.ofSeconds(1), "B's L1 emptied", () -> b.l1.caffeine.estimatedSize() == 0);
    // each write and the clear are timed by operation: 1200 SETs, each with its PUBLISH, then the
    // SCAN and DEL of the clear and its one PUBLISH
    assertThat(l2Successes(registryA, MetricNames.OP_SET)).isEqualTo(1200);
    assertThat(l2Successes(registryA, MetricNames.OP_PUBLISH)).isEqualTo(1201);
    assertThat(l2Successes(registryA, MetricNames.OP_SCAN)).isPositive();
    assertThat(l2Successes(registryA, MetricNames.OP_DEL)).isPositive();
  }

  private static long l2Successes(SimpleMeterRegistry registry, String op) {
    return registry
        .get(MetricNames.CACHE_L2_OPERATIONS)
        .tag(MetricNames.TAG_OP, op)
        .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_SUCCESS)
        .timer()
        .count();
  }

  @Test
  void largeValuesAreCompressedInRedisAndReadBackByTheOtherInstance() {
    TieredCache<String, String> a = track(zipCache("zip", tierA, registryA));
    TieredCache<String, String> b = track(cache("zip", tierB, registryB));
    String big = "lorem ipsum ".repeat(500);
    assertThat(a.put("k", big)).isTrue();
    byte[] stored = rawBytes("chimera:zip:k");
    assertThat(stored.length).isLessThan(big.length() / 4);
    assertThat(stored[0] & 0xFF).isEqualTo(Envelope.COMPRESSED);
    assertThat(b.get("k", k -> "x")).isEqualTo(big);
  }

  @Test
  void truncatedCompressedValuesAreCorruptMissesOnGetAndGetAllAndAreDeleted() {
    TieredCache<String, String> a = track(zipCache("trunc", tierA, registryA));
    TieredCache<String, String> b = track(zipCache("trunc", tierB, registryB));
    String big = "lorem ipsum ".repeat(500);
    for (String k : List.of("k1", "k2")) {
      assertThat(a.put(k, big)).isTrue();
      byte[] key = ("chimera:trunc:" + k).getBytes(StandardCharsets.UTF_8);
      byte[] stored = rawBytes("chimera:trunc:" + k);
      try (var c = rawClient.connect(ByteArrayCodec.INSTANCE)) {
        c.sync().set(key, Arrays.copyOf(stored, stored.length / 2));
      }
    }
    // the loaders find nothing, so nothing is written back: the keys are gone only if deleted
    assertThat(b.get("k1", k -> null)).isNull();
    assertThat(b.getAll(List.of("k2"), keys -> Map.of())).isEmpty();
    eventually(
        Duration.ofSeconds(2),
        "both truncated values deleted",
        () -> raw.sync().exists("chimera:trunc:k1", "chimera:trunc:k2") == 0);
    assertThat(evictions(registryB, MetricNames.CAUSE_CORRUPT)).isEqualTo(2);
    for (String op : List.of(MetricNames.OP_GET, MetricNames.OP_MGET)) {
      assertThat(
              registryB
                  .get(MetricNames.CACHE_L2_OPERATIONS)
                  .tag(MetricNames.TAG_OP, op)
                  .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_CORRUPT)
                  .timer()
                  .count())
          .as(op)
          .isEqualTo(1);
    }
  }

  @Test
  void oversizedLoadsAreReturnedButNeverWrittenToRedis() {
    TieredCache<String, String> a =
        track(cacheBuilder("limits", tierA, registryA).maxKeyBytes(8).maxValueBytes(16).build());
    assertThat(a.get("k", k -> "y".repeat(20))).hasSize(20);
    assertThat(a.get("123456789", k -> "v")).isEqualTo("v");
    assertThat(a.getAll(List.of("k2"), keys -> Map.of("k2", "z".repeat(20))))
        .containsEntry("k2", "z".repeat(20));
    // acknowledged after any write-back sent before it on the same connection
    assertThat(a.put("other", "v")).isTrue();
    assertThat(raw.sync().keys("chimera:limits:*")).containsExactly("chimera:limits:other");
    assertThat(a.l1.caffeine.asMap()).containsOnlyKeys("other");
    assertThat(evictions(registryA, MetricNames.CAUSE_OVERSIZE)).isEqualTo(3);
  }

  @Test
  void aByteBoundedL1WeighsCompressedL2HitsByTheirDecodedSize() {
    TieredCache<String, String> a = track(zipCache("zip-weight", tierA, registryA));
    TieredCache<String, String> b =
        track(
            cacheBuilder("zip-weight", tierB, registryB)
                .compression(ContentCoding.GZIP, 256)
                .l1MaximumBytes(512 * 1024)
                .build());
    String big = "x".repeat(64 * 1024); // compresses to well under 1 KiB in Redis
    for (int i = 0; i < 20; i++) {
      assertThat(a.put("k" + i, big)).isTrue();
    }
    for (int i = 0; i < 20; i++) {
      assertThat(b.get("k" + i, k -> "loaded")).isEqualTo(big); // an L2 hit on B
    }
    b.l1.cleanUp();
    // 20 values of 64 KiB do not fit in 512 KiB, whatever their size in Redis
    assertThat(b.l1.caffeine.estimatedSize()).isLessThanOrEqualTo(8);
    assertThat(b.l1.memoryUsed()).isLessThanOrEqualTo(512 * 1024);
  }

  private static TieredCache<String, String> zipCache(
      String name, RedisTier tier, SimpleMeterRegistry registry) {
    return cacheBuilder(name, tier, registry).compression(ContentCoding.GZIP, 256).build();
  }

  private static byte[] rawBytes(String key) {
    try (var c = rawClient.connect(ByteArrayCodec.INSTANCE)) {
      return c.sync().get(key.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void twoCachesOnOneTierNeverCollide() {
    TieredCache<String, String> x = track(cache("ns-x", tierA, registryA));
    TieredCache<String, String> y = track(cache("ns-y", tierA, registryA));
    x.put("k", "from x");
    y.put("k", "from y");
    RedisCommands<String, String> s = raw.sync();
    assertThat(s.keys("chimera:ns-*"))
        .containsExactlyInAnyOrder("chimera:ns-x:k", "chimera:ns-y:k");
    assertThat(y.put("other", "v")).isTrue();
    assertThat(y.l1.caffeine.asMap()).containsOnlyKeys("k", "other");
    assertThat(x.invalidate("k")).isTrue();
    // published after x's invalidation, so delivered to y's subscription after it: once y has
    // dropped "other", it has seen (and ignored) x's message on x's own channel
    TieredCache<String, String> y2 = track(cache("ns-y", tierB, registryB));
    assertThat(y2.invalidate("other")).isTrue();
    eventually(
        Duration.ofSeconds(1), "y drops other", () -> y.l1.caffeine.getIfPresent("other") == null);
    assertThat(y.l1.caffeine.getIfPresent("k")).isNotNull();
    assertThat(y.get("k", k -> "loaded")).isEqualTo("from y");
  }

  @Test
  void getAsyncWhoseExecutorRefusesTheRedisReplyFailsClearlyAndLeavesNoFlightBehind()
      throws Exception {
    TieredCache<String, String> a =
        track(
            cacheBuilder("refused-reply", tierA, registryA)
                .executor(RedisFixtures.REFUSING)
                .build());
    // the GET is sent; its reply's continuation is what the executor refuses
    CompletableFuture<String> refused = a.getAsync("k", k -> "v");
    assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("cache 'refused-reply'");
    assertThat(a.flights()).isEmpty();
    assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> assertThat(a.get("k", k -> "v")).isEqualTo("v"));
  }

  @Test
  void aBulkWriteBackThatLandsAfterThisInstancesOwnInvalidationIsUndone() throws Exception {
    PausingCodec values = new PausingCodec();
    TieredCache<String, String> a = onTierA("own-undo", CacheCodec.utf8(), values);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // getAll loads k1 and k2, queues k1's write-back, then stops encoding k2's value
      Future<Map<String, String>> load =
          pool.submit(
              () -> {
                values.encodeOnly = "v2";
                values.encodeOn = Thread.currentThread();
                return a.getAll(List.of("k1", "k2"), ks -> Map.of("k1", "old", "k2", "v2"));
              });
      assertThat(values.paused.await(5, TimeUnit.SECONDS)).isTrue();
      // k1 is invalidated here, before its write-back (SET NX) is even sent
      values.encodeOn = null;
      assertThat(a.invalidate("k1")).isTrue();
      values.resume.countDown();
      assertThat(load.get(5, TimeUnit.SECONDS)).containsEntry("k1", "old");
    } finally {
      pool.shutdownNow();
    }
    eventually(
        Duration.ofSeconds(2),
        "the late write-back of k1 undone",
        () -> raw.sync().exists("chimera:own-undo:k1") == 0);
    assertThat(raw.sync().exists("chimera:own-undo:k2")).isEqualTo(1);
    assertThat(a.get("k1", k -> "new")).isEqualTo("new");
  }

  @Test
  void aWriteBackThatLandedBeforeAnotherInstancesInvalidationWasHeardIsGoneWhenItIsConfirmed() {
    TieredCache<String, String> a = track(acked("late-heard", tierA, registryA).build());
    TieredCache<String, String> b = track(acked("late-heard", tierB, registryB).build());
    // B's invalidate is a DEL, then a PUBLISH. A's load read v1 from the source before B changed
    // it, and its write-back lands between the two: its load is over when the message arrives.
    assertThat(a.get("k", k -> "v1")).isEqualTo("v1");
    assertThat(a.getAll(List.of("bulk"), ks -> Map.of("bulk", "v1"))).containsEntry("bulk", "v1");
    eventually(
        Duration.ofSeconds(2),
        "A's write-backs landed and its loads are over",
        () ->
            raw.sync().exists("chimera:late-heard:k", "chimera:late-heard:bulk") == 2
                && a.flights().isEmpty());
    for (String key : List.of("k", "bulk")) {
      // B's PUBLISH, sent by hand: A and B (its own echo) must confirm it
      Confirmation confirmation = b.coherence.expect();
      long receivers =
          rawPublish("late-heard", b.coherence.keyMessage(utf8(key), false, confirmation));
      assertThat(confirmation.await(receivers, Duration.ofSeconds(2).toNanos())).isTrue();
      // A confirms only once its undo DEL is done: nothing to wait for here
      assertThat(raw.sync().exists("chimera:late-heard:" + key)).as(key).isZero();
    }
    assertThat(b.get("k", k -> "v2")).isEqualTo("v2");
    assertThat(a.get("k", k -> "v2")).isEqualTo("v2");
    assertThat(a.getAll(List.of("bulk"), ks -> Map.of("bulk", "v2"))).containsEntry("bulk", "v2");
  }

  @Test
  void aRefreshWhoseSetLandedAfterAnotherInstancesPutIsDeletedWhenThePutIsHeard() {
    AtomicLong now = new AtomicLong();
    CountDownLatch release = new CountDownLatch(1);
    TieredCache<String, String> a =
        track(
            cacheBuilder("late-put", tierA, registryA)
                .ticker(now::get)
                .l1Ttl(Duration.ofSeconds(60))
                .refreshAheadAfter(Duration.ofSeconds(30))
                .build());
    TieredCache<String, String> b = track(cache("late-put", tierB, registryB));
    assertThat(a.get("k", k -> "v0")).isEqualTo("v0");
    // until its write-back is answered the load's flight stands, and a refresh would not start
    eventually(Duration.ofSeconds(2), "the first load is over", () -> a.flights().isEmpty());
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    // A's refresh reads v1 from the source before B's put changes it to v2
    assertThat(
            a.get(
                "k",
                k -> {
                  awaitQuietly(release);
                  return "v1";
                }))
        .isEqualTo("v0");
    // B's put, its SET and (below) its PUBLISH sent by hand: A's refresh SET lands in between
    try (Envelope plain = new Envelope(null, ContentCoding.GZIP, Integer.MAX_VALUE, 1 << 20);
        var c = rawClient.connect(ByteArrayCodec.INSTANCE)) {
      c.sync()
          .set(
              utf8("chimera:late-put:k"),
              plain.wrap(utf8("v2"), System.currentTimeMillis() + 60_000),
              io.lettuce.core.SetArgs.Builder.px(60_000));
    }
    release.countDown();
    eventually(
        Duration.ofSeconds(2),
        "A's refresh SET landed and its load is over",
        () -> raw.sync().get("chimera:late-put:k").endsWith("v1") && a.flights().isEmpty());
    rawPublish("late-put", b.coherence.keyMessage(utf8("k"), true));
    eventually(
        Duration.ofSeconds(2),
        "A deleted its refresh's value on hearing the put",
        () -> raw.sync().get("chimera:late-put:k") == null);
  }

  private static long rawPublish(String cache, byte[] message) {
    try (var c = rawClient.connect(ByteArrayCodec.INSTANCE)) {
      return c.sync().publish(utf8(Coherence.channel(cache)), message);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aKeyWithAPendingInvalidationIsNotReadFromRedisAndCountsAsAnL2Miss() {
    TieredCache<String, String> a = track(cache("pending-read", tierA, registryA));
    // The replay (every 500 ms) may delete the key while this runs, which would prove nothing:
    // try again until Redis still held the old value after the reads.
    boolean checked = false;
    for (int attempt = 0; attempt < 3 && !checked; attempt++) {
      assertThat(a.put("k", "v1")).isTrue();
      a.l1.invalidate("k");
      a.coherence.addPending("k"); // as if this instance's invalidation had not reached Redis
      double before = requests(registryA, MetricNames.TIER_L2, MetricNames.RESULT_MISS);
      assertThat(a.getIfPresent("k")).isNull();
      assertThat(a.get("k", k -> "loaded")).isEqualTo("loaded");
      checked = raw.sync().get("chimera:pending-read:k") != null;
      if (checked) {
        assertThat(requests(registryA, MetricNames.TIER_L2, MetricNames.RESULT_MISS) - before)
            .isEqualTo(2);
      }
    }
    assertThat(checked).as("Redis kept the value through one attempt").isTrue();
  }

  /**
   * A UTF-8 codec that, on the one thread it is armed for, stops in {@code encode} or {@code
   * decode} until released: it holds a write or a load at a chosen point between its Redis command
   * and what follows it.
   */
  private static final class PausingCodec implements CacheCodec<String> {
    volatile @Nullable Thread encodeOn;
    volatile @Nullable Thread decodeOn;

    /** If set, {@code encode} stops only for this value. */
    volatile @Nullable String encodeOnly;

    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    @Override
    public byte[] encode(String value) {
      String only = encodeOnly;
      if (only == null || only.equals(value)) {
        pauseIf(encodeOn);
      }
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes, int offset, int length) {
      pauseIf(decodeOn);
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    private void pauseIf(@Nullable Thread armed) {
      if (Thread.currentThread() == armed) {
        paused.countDown();
        awaitQuietly(resume);
      }
    }
  }

  @Test
  void aLoadThatReadTheOldValueJustBeforeThisInstancesOwnInvalidationIsDroppedFromL1()
      throws Exception {
    PausingCodec keys = new PausingCodec();
    TieredCache<String, String> a = onTierA("own-invalidate", keys, CacheCodec.utf8());
    assertThat(a.put("k", "v1")).isTrue();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // The writer drops its L1 entry, then stops in the key codec just before its DEL.
      Future<Boolean> invalidated =
          pool.submit(
              () -> {
                keys.encodeOn = Thread.currentThread();
                return a.invalidate("k");
              });
      assertThat(keys.paused.await(5, TimeUnit.SECONDS)).isTrue();
      // Meanwhile a load misses L1, reads the old value from Redis and puts it into L1.
      assertThat(a.get("k", k -> "loaded")).isEqualTo("v1");
      assertThat(a.l1.caffeine.getIfPresent("k")).isNotNull();
      keys.resume.countDown();
      assertThat(invalidated.get(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    // Acknowledged: once invalidate returned, not even the writer's own L1 serves v1.
    assertThat(a.l1.caffeine.getIfPresent("k")).isNull();
    assertThat(a.get("k", k -> "new")).isEqualTo("new");
  }

  @Test
  void aLoadThatReadTheOldValueAndFinishesAfterThisInstancesPutLeavesTheNewValueInL1()
      throws Exception {
    PausingCodec values = new PausingCodec();
    TieredCache<String, String> a = onTierA("own-put", CacheCodec.utf8(), values);
    assertThat(a.put("k", "v1")).isTrue();
    a.l1.invalidate("k"); // as if evicted: the next read goes to Redis
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // A load reads v1 from Redis and stops while decoding it, before it fills L1.
      Future<String> load =
          pool.submit(
              () -> {
                values.decodeOn = Thread.currentThread();
                return a.get("k", k -> "loaded");
              });
      assertThat(values.paused.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(a.put("k", "v2")).isTrue();
      values.resume.countDown();
      assertThat(load.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    } finally {
      pool.shutdownNow();
    }
    assertThat(a.l1.caffeine.getIfPresent("k")).isNotNull();
    assertThat(a.get("k", k -> "loaded")).isEqualTo("v2");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
