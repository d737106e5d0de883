package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.cache;
import static io.chimera.perf.cache.RedisFixtures.cacheBuilder;
import static io.chimera.perf.cache.RedisFixtures.eventually;
import static io.chimera.perf.cache.RedisFixtures.l2Operations;
import static io.chimera.perf.cache.RedisFixtures.tier;
import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.FaultProxy;
import io.chimera.perf.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis slow or cut off for one instance only, through a {@link FaultProxy} in front of a real
 * redis-server: the other instance and a raw client keep talking to Redis directly.
 */
class RedisFaultIT {

  private RedisServer redis;
  private FaultProxy proxy;
  private RedisClient rawClient;
  private StatefulRedisConnection<String, String> raw;
  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    redis = RedisServer.launchEmbedded();
    proxy = FaultProxy.start(redis.host(), redis.port());
    rawClient = RedisClient.create(redis.uri());
    raw = rawClient.connect();
  }

  @AfterEach
  void stop() {
    raw.close();
    rawClient.shutdown();
    proxy.close();
    redis.close();
  }

  private String viaProxy() {
    return "redis://" + proxy.host() + ":" + proxy.port();
  }

  /** A tier through the proxy that waits 3 s for a reply: long enough for a delaying proxy. */
  private RedisTier patientTierViaProxy(String name) {
    return RedisTier.builder(viaProxy())
        .name(name)
        .meterRegistry(registryA)
        .commandTimeout(Duration.ofSeconds(3))
        .connectTimeout(Duration.ofSeconds(3))
        .build();
  }

  @Test
  void aLinkSlowerThanTheCommandTimeoutStillConnectsAndCommandsStillTimeOut() {
    // 30 ms each way: a round trip (the connection's HELLO) takes longer than the 50 ms command
    // timeout but far less than the 1 s connect timeout that bounds a connection's set-up
    proxy.latency(Duration.ofMillis(30));
    try (RedisTier tierA =
            RedisTier.builder(viaProxy())
                .name("far-a")
                .meterRegistry(registryA)
                .commandTimeout(Duration.ofMillis(50))
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        TieredCache<String, String> a = cache("far", tierA, registryA)) {
      assertThat(tierA.problem()).isEmpty();
      assertThat(a.health()).isEqualTo(Health.UP);
      long t0 = System.nanoTime();
      assertThat(a.get("k", k -> "from loader")).isEqualTo("from loader");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      // the GET timed out (the value came from the loader) near 50 ms, not after the 1 s
      assertThat(millis).isBetween(40L, 500L);
      // recorded when Lettuce times the GET out, which on a loaded machine may come after the
      // cache stopped waiting for it (the command timeout plus a margin)
      eventually(
          Duration.ofSeconds(1),
          "the GET counted as timed out",
          () -> l2Operations(registryA, MetricNames.OUTCOME_TIMEOUT) >= 1);
    }
  }

  @Test
  void aRedisThatAcceptsButNeverAnswersDelaysOnlyTheBuildByTheConnectTimeout() {
    proxy.blackHole();
    long t0 = System.nanoTime();
    RedisTier tierA =
        RedisTier.builder(viaProxy())
            .name("mute-a")
            .meterRegistry(registryA)
            .connectTimeout(Duration.ofMillis(300))
            .maxReconnectDelay(Duration.ofMillis(200))
            .build();
    long buildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    try (tierA;
        TieredCache<String, String> a = cache("mute", tierA, registryA)) {
      // the HELLO is never answered: set-up gives up at the connect timeout, not later
      assertThat(buildMillis).isBetween(250L, 3000L);
      assertThat(a.health()).isEqualTo(Health.DEGRADED);
      assertThat(tierA.problem())
          .hasValueSatisfying(p -> assertThat(p).contains(viaProxy()).contains("timed out"));
      // while not connected every command is refused at once: misses go straight to the loader
      long t1 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(a.get("k" + i, k -> "loaded")).isEqualTo("loaded");
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1)).isLessThan(500L);

      proxy.passThrough();
      eventually(Duration.ofSeconds(10), "connected", () -> a.health() == Health.UP);
      assertThat(a.put("k", "v")).isTrue();
    }
  }

  @Test
  void slowRedisNeverHoldsAnL1MissAndOpensTheBreakerUntilItIsFastAgain() {
    try (RedisTier tierA =
            RedisTier.builder(viaProxy())
                .name("slow-a")
                .meterRegistry(registryA)
                .maxReconnectDelay(Duration.ofMillis(200))
                .build();
        TieredCache<String, String> a = cache("slow", tierA, registryA)) {
      assertThat(tierA.commandTimeout()).isLessThan(Duration.ofMillis(100));
      assertThat(a.put("k", "v")).isTrue();

      proxy.latency(Duration.ofSeconds(2));
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        long t0 = System.nanoTime();
        assertThat(a.get("miss-" + i, k -> "loaded " + k)).isEqualTo("loaded miss-" + i);
        millis.add(Duration.ofNanos(System.nanoTime() - t0).toMillis());
      }
      // each miss waited at most about the 50 ms command timeout, never the 2 s Redis took; once
      // the breaker opened, not even that (bounds loose enough for a loaded 2-core CI machine)
      String seen = "misses took " + millis + " ms";
      assertThat(millis).as(seen).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
      List<Long> waited = millis.stream().filter(ms -> ms >= 40).sorted().toList();
      assertThat(waited).as(seen).isNotEmpty();
      assertThat(waited.get(waited.size() / 2)).as(seen).isLessThan(90);
      assertThat(millis.subList(20, 30)).as(seen).allSatisfy(ms -> assertThat(ms).isLessThan(40));
      assertThat(a.health()).as(seen).isEqualTo(Health.DEGRADED);
      assertThat(tierA.problem()).hasValueSatisfying(p -> assertThat(p).contains("breaker open"));
      assertThat(count(registryA.find(MetricNames.BREAKER_TRIPS))).isPositive();
      assertThat(l2Operations(registryA, MetricNames.OUTCOME_TIMEOUT)).isPositive();
      assertThat(l2Operations(registryA, MetricNames.OUTCOME_NOT_PERMITTED)).isPositive();
      assertThat(a.get("k", k -> "loader")).isEqualTo("v"); // L1 still serves
      assertThat(Thread.getAllStackTraces().keySet())
          .anyMatch(t -> t.getName().equals("chimera-redis-timer-slow-a") && t.isAlive());

      proxy.passThrough();
      int[] probe = {0};
      eventually(
          Duration.ofSeconds(10),
          "breaker closed again",
          () -> {
            a.get("probe-" + probe[0]++, k -> "p");
            return breakerClosed(); // not merely half-open, which health() already calls UP
          });
      assertThat(a.health()).isEqualTo(Health.UP);
      eventually(
          Duration.ofSeconds(2),
          "the loaded value reaches Redis",
          () -> raw.sync().exists("chimera:slow:probe-" + (probe[0] - 1)) == 1);
    }
    // closing the tier stopped the timer its command timeouts ran on
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("chimera-redis-timer-slow-a") && t.isAlive());
  }

  private boolean breakerClosed() {
    return registryA
            .get(MetricNames.BREAKER_STATE)
            .tag(MetricNames.TAG_BREAKER, "slow-a")
            .tag(MetricNames.TAG_STATE, "closed")
            .gauge()
            .value()
        == 1;
  }

  @Test
  void aRefreshWhoseSetLandsAfterALocalPutsSetIsUndoneNotLeftOverTheNewValue() throws Exception {
    AtomicLong now = new AtomicLong();
    CountDownLatch refreshing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    // replies held back 1 s (the command timeout is 3 s): a SET lands at once, but its sender
    // only hears so much later
    try (RedisTier tierA = patientTierViaProxy("refresh-a");
        TieredCache<String, String> a =
            cacheBuilder("refresh-race", tierA, registryA)
                .ticker(now::get)
                .l1Ttl(Duration.ofSeconds(60))
                .refreshAheadAfter(Duration.ofSeconds(30))
                .build()) {
      assertThat(a.put("k", "v0")).isTrue();
      now.addAndGet(Duration.ofSeconds(31).toNanos());
      // an L1 hit past the refresh age: served, and a reload starts that will return v1
      assertThat(
              a.get(
                  "k",
                  k -> {
                    refreshing.countDown();
                    awaitQuietly(release);
                    return "v1";
                  }))
          .isEqualTo("v0");
      assertThat(refreshing.await(5, TimeUnit.SECONDS)).isTrue();
      proxy.latency(Duration.ZERO, Duration.ofSeconds(1));
      Future<Boolean> put = writer.submit(() -> a.put("k", "v2"));
      eventually(Duration.ofSeconds(2), "the put's SET landed", () -> valueIs("v2"));
      // the reload finishes while the put still waits for its reply: its SET lands after the put's
      release.countDown();
      eventually(Duration.ofSeconds(2), "the refresh's SET landed", () -> valueIs("v1"));
      assertThat(put.get(5, TimeUnit.SECONDS)).isTrue();
      proxy.passThrough();
      // the put marked the reload stale: its write-back, being a plain SET, is deleted again
      eventually(
          Duration.ofSeconds(2),
          "the refresh's value gone from Redis",
          () -> raw.sync().get("chimera:refresh-race:k") == null);
      assertThat(a.get("k", k -> "loaded")).isEqualTo("v2");
    } finally {
      release.countDown();
      writer.shutdownNow();
    }
  }

  @Test
  void anInvalidationHeardWhileAWriteBackIsUnansweredIsConfirmedOnlyOnceThatIsDeletedAgain()
      throws Exception {
    try (RedisTier tierA = patientTierViaProxy("unanswered-a");
        RedisTier tierB = tier(redis.uri(), registryB);
        TieredCache<String, String> a =
            cacheBuilder("unanswered", tierA, registryA)
                .acknowledgedInvalidation(Duration.ofSeconds(5))
                .build();
        TieredCache<String, String> b =
            cacheBuilder("unanswered", tierB, registryB)
                .acknowledgedInvalidation(Duration.ofSeconds(5))
                .build()) {
      // A's commands reach Redis 500 ms late; what Redis sends A (messages, replies) comes at once
      proxy.latency(Duration.ofMillis(500), Duration.ZERO);
      assertThat(a.get("k", k -> "v1")).isEqualTo("v1");
      assertThat(a.writeBacks.holds("k")).as("A's SET NX sent, not answered yet").isTrue();
      // B's invalidation (its DEL found nothing): A hears it before its SET NX lands
      Confirmation confirmation = b.coherence.expect();
      byte[] message =
          b.coherence.keyMessage("k".getBytes(StandardCharsets.UTF_8), false, confirmation);
      long receivers;
      try (var c = rawClient.connect(ByteArrayCodec.INSTANCE)) {
        receivers =
            c.sync()
                .publish(Coherence.channel("unanswered").getBytes(StandardCharsets.UTF_8), message);
      }
      assertThat(confirmation.await(receivers, TimeUnit.SECONDS.toNanos(10))).isTrue();
      // A confirmed only after its SET NX was answered and its DEL of it landed
      assertThat(raw.sync().exists("chimera:unanswered:k")).isZero();
      proxy.passThrough();
    }
  }

  private boolean valueIs(String value) {
    String v = raw.sync().get("chimera:refresh-race:k");
    return v != null && v.endsWith(value);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anInvalidationThatCannotReachRedisIsReplayedAndReachesTheOtherInstance() {
    try (RedisTier tierA = tier(viaProxy(), registryA);
        RedisTier tierB = tier(redis.uri(), registryB);
        TieredCache<String, String> a = cache("replay", tierA, registryA);
        TieredCache<String, String> b = cache("replay", tierB, registryB)) {
      assertThat(a.put("k", "v1")).isTrue();
      // B may read k before A's own publish of the put reaches it and drops it again: retry
      eventually(
          Duration.ofSeconds(2),
          "B holds v1 in L1",
          () -> "v1".equals(b.get("k", k -> "loaded")) && b.l1.caffeine.getIfPresent("k") != null);

      proxy.resetConnections();
      eventually(Duration.ofSeconds(5), "A degraded", () -> a.health() == Health.DEGRADED);
      assertThat(tierA.problem())
          .hasValueSatisfying(
              p -> assertThat(p).contains(tierA.address()).containsPattern("since \\d{4}-"));
      assertThat(a.invalidate("k")).isFalse();
      assertThat(a.coherence.pendingCount()).isEqualTo(1);
      // B heard nothing yet: it serves what it holds until the invalidation is replayed
      assertThat(b.get("k", k -> "loaded")).isEqualTo("v1");
      assertThat(raw.sync().get("chimera:replay:k")).endsWith("v1"); // after the envelope's header

      proxy.passThrough();
      eventually(Duration.ofSeconds(10), "A connected", () -> a.health() == Health.UP);
      // replayed or not yet: A never reads the value it was told to forget back from Redis
      assertThat(a.getIfPresent("k")).isNull();
      eventually(Duration.ofSeconds(5), "A replayed", () -> a.coherence.pendingCount() == 0);
      assertThat(raw.sync().get("chimera:replay:k")).isNull();
      eventually(
          Duration.ofSeconds(1),
          "B drops k on the replayed invalidation",
          () -> b.l1.caffeine.getIfPresent("k") == null);
      assertThat(b.get("k", k -> "reloaded")).isEqualTo("reloaded");
    }
  }

  @Test
  void moreInvalidationsThanThePendingBoundBecomeOneInvalidateAllWhenRedisIsBack() {
    try (RedisTier tierA = tier(viaProxy(), registryA);
        RedisTier tierB = tier(redis.uri(), registryB);
        TieredCache<String, String> a =
            cacheBuilder("overflow", tierA, registryA).maxPendingInvalidations(2).build();
        TieredCache<String, String> b = cache("overflow", tierB, registryB)) {
      for (String k : List.of("k0", "k1", "k2", "x")) {
        assertThat(a.put(k, "v")).isTrue();
      }
      eventually(
          Duration.ofSeconds(2),
          "B holds all four in L1",
          () ->
              List.of("k0", "k1", "k2", "x").stream()
                      .allMatch(k -> "v".equals(b.get(k, key -> "loaded")))
                  && b.l1.caffeine.estimatedSize() == 4);
      assertThat(b.put("y", "from B")).isTrue(); // in Redis, never read by A

      proxy.resetConnections();
      eventually(Duration.ofSeconds(5), "A degraded", () -> a.health() == Health.DEGRADED);
      assertThat(a.invalidate("k0")).isFalse();
      assertThat(a.invalidate("k1")).isFalse();
      assertThat(a.coherence.pendingCount()).isEqualTo(2);
      assertThat(a.invalidate("k2")).isFalse();
      assertThat(a.coherence.pendingCount()).as("overflowed into invalidate-all").isEqualTo(-1);

      proxy.passThrough();
      eventually(Duration.ofSeconds(10), "A connected", () -> a.health() == Health.UP);
      // until the invalidate-all reached Redis, A reads nothing of this cache from it
      assertThat(a.getIfPresent("y")).isNull();
      eventually(Duration.ofSeconds(5), "A replayed", () -> a.coherence.pendingCount() == 0);
      assertThat(raw.sync().keys("chimera:overflow:*")).isEmpty();
      eventually(
          Duration.ofSeconds(1),
          "B's L1 emptied by the replayed invalidate-all",
          () -> b.l1.caffeine.estimatedSize() == 0);
    }
  }

  private static double count(Search search) {
    return search.functionCounters().stream().mapToDouble(c -> c.count()).sum();
  }
}
