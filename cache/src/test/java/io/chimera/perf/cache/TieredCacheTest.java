package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.evictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TieredCacheTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private TieredCacheBuilder<String, String> builder(String name) {
    return RedisFixtures.steppedCache(name, registry, now::get);
  }

  /** A UTF-8 string cache with the default clock, executors and jitter. */
  private TieredCacheBuilder<String, String> utf8Cache(String name) {
    return TieredCache.builder(name)
        .keyCodec(CacheCodec.utf8())
        .valueCodec(CacheCodec.utf8())
        .meterRegistry(registry);
  }

  /** A cache whose L1 keeps entries 60 s and refreshes them ahead after 30 s. */
  private TieredCache<String, String> refreshingAfter30Of60Seconds(String name) {
    return builder(name)
        .l1Ttl(Duration.ofSeconds(60))
        .refreshAheadAfter(Duration.ofSeconds(30))
        .build();
  }

  private TieredCache<String, String> track(TieredCache<String, String> c) {
    toClose.add(c);
    return c;
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void l1EntryExpiresAfterItsTtlOnTheFakeClock() {
    TieredCache<String, String> cache = track(builder("ttl").l1Ttl(Duration.ofSeconds(10)).build());
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
    advance(Duration.ofSeconds(9));
    assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
    advance(Duration.ofSeconds(2));
    assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v2");
  }

  @Test
  void perEntryTtlOnPutShortensL1Life() {
    TieredCache<String, String> cache =
        track(builder("perentry").l1Ttl(Duration.ofMinutes(5)).build());
    assertThat(cache.put("k", "short", Duration.ofSeconds(1))).isTrue();
    assertThat(cache.getIfPresent("k")).isEqualTo("short");
    advance(Duration.ofMillis(1001));
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void ttlJitterSpreadsExpiryWithinTheFraction() {
    TieredCache<String, String> jittered =
        track(
            utf8Cache("jitter")
                .ticker(now::get)
                .l1Executor(Runnable::run)
                .l1Ttl(Duration.ofSeconds(100))
                .ttlJitter(0.2)
                .build());
    for (int i = 0; i < 200; i++) {
      jittered.put("k" + i, "v");
    }
    advance(Duration.ofSeconds(79));
    assertThat(countAlive(jittered, 200)).isEqualTo(200);
    advance(Duration.ofSeconds(21)); // 100 s: roughly half expired
    assertThat(countAlive(jittered, 200)).isBetween(1, 199);
    advance(Duration.ofSeconds(21)); // 121 s
    assertThat(countAlive(jittered, 200)).isZero();
  }

  private static int countAlive(TieredCache<String, String> c, int n) {
    int alive = 0;
    for (int i = 0; i < n; i++) {
      if (c.getIfPresent("k" + i) != null) {
        alive++;
      }
    }
    return alive;
  }

  @Test
  void negativeCachingKeepsAbsentForItsOwnTtl() {
    TieredCache<String, String> cache =
        track(builder("negative").negativeTtl(Duration.ofSeconds(5)).build());
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.get("k", k -> load(loads, null))).isNull();
    assertThat(cache.get("k", k -> load(loads, "x"))).isNull();
    assertThat(loads).hasValue(1);
    advance(Duration.ofSeconds(6));
    assertThat(cache.get("k", k -> load(loads, "x"))).isEqualTo("x");
    assertThat(loads).hasValue(2);
  }

  @Test
  void absentIsNotCachedWithoutNegativeTtl() {
    TieredCache<String, String> cache = track(builder("nonegative").build());
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.get("k", k -> load(loads, null))).isNull();
    assertThat(cache.get("k", k -> load(loads, null))).isNull();
    assertThat(loads).hasValue(2);
  }

  private static String load(AtomicInteger loads, String value) {
    loads.incrementAndGet();
    return value;
  }

  @Test
  void manyThreadsMissingOneKeyRunTheLoaderOnce() throws Exception {
    TieredCache<String, String> cache = track(builder("flight").build());
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(
            pool.submit(
                () ->
                    cache.get(
                        "hot",
                        k -> {
                          loads.incrementAndGet();
                          await(release);
                          return "value";
                        })));
      }
      awaitFlight(cache, "hot");
      Thread.sleep(100); // let the others pile up on the flight (not a wait for expiry)
      release.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("value");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailedLoadReachesEveryCallerWaitingOnItSyncAndAsyncAndIsNotCached() throws Exception {
    TieredCache<String, String> cache = track(builder("flight-fails").build());
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Function<String, String> failing =
        k -> {
          loads.incrementAndGet();
          await(release);
          throw new IllegalStateException("db down");
        };
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> sync = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sync.add(pool.submit(() -> cache.get("hot", failing)));
      }
      awaitFlight(cache, "hot"); // so that the async callers join it, not load inline
      Thread.sleep(100); // let the other sync callers pile up on it (not a wait for expiry)
      List<CompletableFuture<String>> async = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        async.add(cache.getAsync("hot", failing));
      }
      release.countDown();
      for (Future<String> f : sync) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("db down");
      }
      for (CompletableFuture<String> f : async) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("db down");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
    assertThat(cache.flights()).isEmpty();
    assertThat(cache.get("hot", k -> "recovered")).isEqualTo("recovered");
  }

  /** Waits until a load of {@code key} is in flight. */
  private static void awaitFlight(TieredCache<String, String> cache, String key)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!cache.flights().containsKey(key)) {
      assertThat(System.nanoTime() - deadline).as("a load of " + key + " started").isNegative();
      Thread.sleep(1);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void loaderExceptionReachesTheCallerAndIsNotCached() {
    TieredCache<String, String> cache = track(builder("failing").build());
    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    k -> {
                      throw new IllegalStateException("db down");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("db down");
    assertThat(cache.get("k", k -> "ok")).isEqualTo("ok");
    assertThat(
            registry
                .get(MetricNames.CACHE_LOAD)
                .tag(MetricNames.TAG_RESULT, "failure")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void byteBoundedL1StaysWithinItsBound() {
    double bound = 64 * 1024;
    TieredCache<String, String> cache = track(builder("bytes").l1MaximumBytes(64 * 1024).build());
    String value = "x".repeat(1000);
    for (int i = 0; i < 1000; i++) {
      cache.put("key-" + i, value);
      cache.l1.cleanUp();
      double used = registry.get(MetricNames.CACHE_L1_MEMORY_USED).gauge().value();
      assertThat(used).isLessThanOrEqualTo(bound);
    }
    assertThat(registry.get(MetricNames.CACHE_L1_MEMORY_MAX).gauge().value()).isEqualTo(bound);
    assertThat(registry.get(MetricNames.CACHE_L1_MEMORY_UTILIZATION).gauge().value())
        .isBetween(0.5, 1.0);
    assertThat(evictions(registry, MetricNames.CAUSE_SIZE)).isGreaterThan(900);
  }

  @Test
  void entryBoundedL1MemoryFollowsEveryWayAnEntryLeaves() {
    TieredCache<String, String> cache =
        track(builder("mem").l1MaximumEntries(10).l1Ttl(Duration.ofSeconds(10)).build());
    String value = "x".repeat(100);
    cache.put("k00", value);
    double one = l1MemoryUsed();
    assertThat(one).isPositive();
    cache.put("k00", value); // replaced, not added
    assertThat(l1MemoryUsed()).isEqualTo(one);
    for (int i = 1; i < 20; i++) {
      cache.put(String.format("k%02d", i), value);
    }
    cache.l1.cleanUp();
    assertThat(l1MemoryUsed()).isEqualTo(10 * one); // ten evicted by size
    cache.invalidate("k19");
    cache.l1.cleanUp();
    assertThat(l1MemoryUsed()).isEqualTo(9 * one);
    advance(Duration.ofSeconds(11));
    cache.l1.cleanUp(); // the sweep expires the other nine
    assertThat(l1MemoryUsed()).isZero();
    for (int i = 0; i < 5; i++) {
      cache.put(String.format("k%02d", i), value);
    }
    assertThat(l1MemoryUsed()).isEqualTo(5 * one);
    cache.invalidateAll();
    assertThat(l1MemoryUsed()).isZero();
  }

  @Test
  void entryBoundedL1MemoryMatchesItsEntriesAfterRacingWritesAndEvictions() throws Exception {
    // default executors: write maintenance inline, read-triggered maintenance on the common pool
    TieredCache<String, String> cache = track(utf8Cache("mem-race").l1MaximumEntries(50).build());
    int threads = 4;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int n = 0; n < 20_000; n++) {
                  String key = "k" + r.nextInt(200);
                  String value = "v".repeat(1 + r.nextInt(300)); // weights differ per write
                  switch (r.nextInt(3)) {
                    case 0 -> cache.put(key, value);
                    case 1 -> cache.invalidate(key);
                    default -> cache.get(key, k -> value);
                  }
                }
              });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    cache.l1.cleanUp();
    long held = 0;
    for (Entry<String> e : cache.l1.caffeine.asMap().values()) {
      held += e.weight;
    }
    assertThat(cache.l1.caffeine.estimatedSize()).isLessThanOrEqualTo(50);
    assertThat(l1MemoryUsed()).isEqualTo((double) held);
  }

  private double l1MemoryUsed() {
    return registry.get(MetricNames.CACHE_L1_MEMORY_USED).gauge().value();
  }

  @Test
  void hitRatiosAndRequestCountersFollowTraffic() {
    TieredCache<String, String> cache = track(builder("ratios").build());
    cache.get("a", k -> "1"); // miss
    cache.get("a", k -> "1"); // hit
    cache.get("a", k -> "1"); // hit
    cache.get("b", k -> "2"); // miss
    assertThat(
            registry
                .get(MetricNames.CACHE_HIT_RATIO)
                .tag(MetricNames.TAG_TIER, MetricNames.TIER_L1)
                .gauge()
                .value())
        .isEqualTo(0.5);
    assertThat(
            registry
                .get(MetricNames.CACHE_HIT_RATIO)
                .tag(MetricNames.TAG_TIER, MetricNames.TIER_COMBINED)
                .gauge()
                .value())
        .isEqualTo(0.5);
    assertThat(
            registry
                .get(MetricNames.CACHE_REQUESTS)
                .tag(MetricNames.TAG_TIER, MetricNames.TIER_L1)
                .tag(MetricNames.TAG_RESULT, MetricNames.RESULT_HIT)
                .functionCounter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get(MetricNames.CACHE_HEALTH).gauge().value())
        .isEqualTo(Health.UP.gaugeValue());
    advance(Duration.ofSeconds(200));
    registry
        .get(MetricNames.CACHE_HIT_RATIO)
        .tag(MetricNames.TAG_TIER, MetricNames.TIER_L1)
        .gauge()
        .value();
    advance(Duration.ofSeconds(61)); // a quiet window: no ratio
    assertThat(
            registry
                .get(MetricNames.CACHE_HIT_RATIO)
                .tag(MetricNames.TAG_TIER, MetricNames.TIER_L1)
                .gauge()
                .value())
        .isNaN();
  }

  @Test
  void thrashRatioSeesMissesOnRecentlyEvictedKeysAndEstimatesALargerL1() {
    TieredCache<String, String> cache = track(builder("thrash").l1MaximumEntries(50).build());
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 100; i++) {
        cache.get("k" + i, k -> "v");
        cache.l1.cleanUp();
      }
    }
    assertThat(cache.l1ThrashRatio()).isGreaterThan(0.5);
    assertThat(registry.get(MetricNames.CACHE_L1_THRASH_RATIO).gauge().value()).isGreaterThan(0.5);
    assertThat(cache.l1BoundForTarget()).isPresent();
    // 100 keys cycle through 50 entries: L1 needs room for about all 100
    assertThat(cache.l1BoundForTarget().getAsLong()).isBetween(100L, 400L);
  }

  @Test
  void refreshAheadServesTheOldValueAndReloadsInTheBackground() {
    TieredCache<String, String> cache = track(refreshingAfter30Of60Seconds("refresh"));
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
    advance(Duration.ofSeconds(31));
    // served from L1 (old), refresh runs on the (same-thread) executor
    assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
    assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void refreshAheadAlsoRunsOnGetAsyncAndGetAllHits() throws Exception {
    TieredCache<String, String> cache = track(refreshingAfter30Of60Seconds("refresh-all"));
    AtomicInteger loads = new AtomicInteger();
    Function<String, String> loader = k -> k + "=v" + loads.incrementAndGet();
    assertThat(cache.get("a", loader)).isEqualTo("a=v1");
    assertThat(cache.get("b", loader)).isEqualTo("b=v2");
    advance(Duration.ofSeconds(31));
    // served from L1 (old); the refresh runs on the (same-thread) executor
    assertThat(cache.getAsync("a", loader).get(5, TimeUnit.SECONDS)).isEqualTo("a=v1");
    assertThat(cache.getAsync("a", loader).get(5, TimeUnit.SECONDS)).isEqualTo("a=v3");
    List<Set<String>> asked = new ArrayList<>();
    Function<Set<String>, Map<String, String>> bulk =
        ks -> {
          asked.add(Set.copyOf(ks));
          return Map.of("b", "b=bulk");
        };
    assertThat(cache.getAll(List.of("b"), bulk)).containsExactly(Map.entry("b", "b=v2"));
    assertThat(asked).containsExactly(Set.of("b"));
    assertThat(cache.getAll(List.of("b"), bulk)).containsExactly(Map.entry("b", "b=bulk"));
    assertThat(asked).hasSize(1);
  }

  @Test
  void aSecondOpenCacheOfTheSameNameInOneRegistryIsRefusedUntilTheFirstCloses() {
    TieredCache<String, String> first = utf8Cache("twin").build();
    assertThatThrownBy(() -> utf8Cache("twin").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cache 'twin'")
        .hasMessageContaining("close it first");
    // the refused build left the first cache's meters alone
    first.get("k", k -> "v");
    assertThat(
            registry
                .get(MetricNames.CACHE_REQUESTS)
                .tag(MetricNames.TAG_CACHE, "twin")
                .tag(MetricNames.TAG_RESULT, MetricNames.RESULT_MISS)
                .functionCounter()
                .count())
        .isEqualTo(1);
    first.close();
    TieredCache<String, String> second = track(utf8Cache("twin").build());
    assertThat(second.get("k", k -> "v2")).isEqualTo("v2");
  }

  @Test
  void getAllLoadsOnlyTheMissingKeysInOneCall() {
    TieredCache<String, String> cache =
        track(builder("bulk").negativeTtl(Duration.ofSeconds(5)).build());
    cache.put("a", "A");
    List<Set<String>> calls = new ArrayList<>();
    Map<String, String> got =
        cache.getAll(
            List.of("a", "b", "c", "b"),
            keys -> {
              calls.add(keys);
              return Map.of("b", "B");
            });
    assertThat(got).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
    assertThat(calls).containsExactly(Set.of("b", "c"));
    // c is cached as absent
    assertThat(cache.getAll(List.of("c"), keys -> Map.of("c", "C"))).isEmpty();
  }

  @Test
  void putRefusesOversizedKeysAndValuesWithAClearMessage() {
    TieredCache<String, String> cache =
        track(builder("limits").maxKeyBytes(8).maxValueBytes(16).build());
    assertThatThrownBy(() -> cache.put("123456789", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9 bytes, over maxKeyBytes 8");
    assertThatThrownBy(() -> cache.put("k", "x".repeat(17)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("17 bytes, over maxValueBytes 16");
    // on load: returned, not cached, counted
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.get("k", k -> load(loads, "y".repeat(20)))).hasSize(20);
    assertThat(cache.get("k", k -> load(loads, "y".repeat(20)))).hasSize(20);
    assertThat(loads).hasValue(2);
    assertThat(evictions(registry, MetricNames.CAUSE_OVERSIZE)).isEqualTo(2);
  }

  @Test
  void builderRejectsBadSettingsWithTheAllowedRange() {
    assertThatThrownBy(() -> TieredCache.builder("bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[A-Za-z0-9._-]");
    assertThatThrownBy(() -> builder("x").ttlJitter(0.7))
        .hasMessage("ttlJitter must be 0 to 0.5, got 0.7");
    assertThatThrownBy(() -> builder("x").l1MaximumBytes(10))
        .hasMessageContaining("1024 to 2^40, got 10");
    assertThatThrownBy(
            () -> builder("x").l1Ttl(Duration.ofHours(2)).l2Ttl(Duration.ofHours(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must not be longer than l2Ttl");
    assertThatThrownBy(() -> builder("x").l1MaximumBytes(4096).l1MaximumEntries(10).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TieredCache.builder("x").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyCodec and valueCodec are required");
    assertThatThrownBy(
            () ->
                builder("x")
                    .l1Ttl(Duration.ofSeconds(10))
                    .refreshAheadAfter(Duration.ofSeconds(10))
                    .build())
        .hasMessageContaining("must be shorter than l1Ttl");
    assertThatThrownBy(() -> builder("x").acknowledgedInvalidation(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "acknowledgedInvalidation timeout must be more than 0 and at most 10 s, got PT0S");
    assertThatThrownBy(() -> builder("x").acknowledgedInvalidation(Duration.ofSeconds(11)))
        .hasMessageContaining("at most 10 s, got PT11S");
  }

  @Test
  void anL1OnlyCacheWithAcknowledgedInvalidationHasNoOneToWaitFor() {
    TieredCache<String, String> cache =
        builder("l1-acked").acknowledgedInvalidation(Duration.ofSeconds(5)).build();
    long start = System.nanoTime();
    assertThat(cache.put("k", "v")).isTrue();
    assertThat(cache.invalidate("k")).isTrue();
    assertThat(cache.invalidateAll()).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(1).toNanos());
    cache.close();
  }

  @Test
  void closeRemovesMetersAndReportsDown() {
    TieredCache<String, String> cache = builder("closing").build();
    cache.close();
    assertThat(cache.health()).isEqualTo(Health.DOWN);
    assertThat(
            registry
                .find(MetricNames.CACHE_HIT_RATIO)
                .tag(MetricNames.TAG_CACHE, "closing")
                .gauges())
        .isEmpty();
  }

  @Test
  void getAsyncOnAnExecutorThatRefusesFailsClearlyAndLeavesNoFlightBehind() {
    TieredCache<String, String> cache =
        track(utf8Cache("refused").executor(RedisFixtures.REFUSING).build());
    CompletableFuture<String> refused = cache.getAsync("k", k -> "v");
    assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("cache 'refused'")
        .hasMessageContaining("queue full");
    assertThat(cache.flights()).isEmpty();
    // a later read of the key loads it instead of waiting for the refused load
    assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> assertThat(cache.get("k", k -> "v")).isEqualTo("v"));
  }

  @Test
  void getAllWhoseKeyCodecFailsOnOneKeyLeavesNoFlightBehind() {
    CacheCodec<String> keys =
        new CacheCodec<>() {
          @Override
          public byte[] encode(String key) {
            if (key.equals("bad")) {
              throw new IllegalArgumentException("unencodable key");
            }
            return key.getBytes(StandardCharsets.UTF_8);
          }

          @Override
          public String decode(byte[] bytes, int offset, int length) {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
          }
        };
    TieredCache<String, String> cache =
        track(
            TieredCache.builder("bad-key")
                .keyCodec(keys)
                .valueCodec(CacheCodec.utf8())
                .meterRegistry(registry)
                .build());
    assertThatThrownBy(
            () -> cache.getAll(List.of("a", "bad", "c"), ks -> Map.of("a", "1", "c", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unencodable key");
    assertThat(cache.flights()).isEmpty();
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertThat(cache.get("a", k -> "1")).isEqualTo("1");
          assertThat(cache.get("c", k -> "3")).isEqualTo("3");
        });
  }
}
