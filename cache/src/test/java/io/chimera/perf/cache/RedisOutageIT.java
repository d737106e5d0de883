package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.cache;
import static io.chimera.perf.cache.RedisFixtures.eventually;
import static io.chimera.perf.cache.RedisFixtures.tier;
import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.RedisServer;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis stopped and restarted under the caches; each test owns its server. */
class RedisOutageIT {

  private RedisServer redis;
  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    redis = RedisServer.launchEmbedded();
  }

  @AfterEach
  void stop() {
    redis.close();
  }

  @Test
  void redisStoppedMidTestServesL1AndTheLoaderThenRecoversWithoutStaleReads() throws Exception {
    try (RedisTier tierA = tier(redis.uri(), registryA);
        RedisTier tierB = tier(redis.uri(), registryB);
        TieredCache<String, String> a = cache("outage", tierA, registryA);
        TieredCache<String, String> b = cache("outage", tierB, registryB)) {
      assertThat(a.put("k", "v1")).isTrue();
      // B may read k before A's own publish of the put reaches it and drops it again: retry
      eventually(
          Duration.ofSeconds(2),
          "B holds v1 in L1",
          () -> "v1".equals(b.get("k", k -> "loaded")) && b.l1.caffeine.getIfPresent("k") != null);

      redis.stop();
      eventually(Duration.ofSeconds(5), "A degraded", () -> a.health() == Health.DEGRADED);
      eventually(Duration.ofSeconds(5), "B degraded", () -> b.health() == Health.DEGRADED);
      assertThat(registryA.get(MetricNames.CACHE_HEALTH).gauge().value()).isEqualTo(0.5);
      assertThat(tierA.problem()).hasValueSatisfying(p -> assertThat(p).contains(tierA.address()));

      // L1 still serves, no exception
      assertThat(a.get("k", k -> "loader")).isEqualTo("v1");
      // an L1 miss reaches the loader without waiting on a client timeout
      long t0 = System.nanoTime();
      assertThat(a.get("missing", k -> "from loader")).isEqualTo("from loader");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      // the bulk and async reads too
      assertThat(a.getAll(List.of("k", "m1", "m2"), keys -> Map.of("m1", "bulk")))
          .containsExactly(Map.entry("k", "v1"), Map.entry("m1", "bulk"));
      assertThat(a.getAsync("m3", k -> "async").get(1, TimeUnit.SECONDS)).isEqualTo("async");

      // a write that cannot reach Redis: not acknowledged, writer's L1 not ahead of L2
      assertThat(a.put("k", "v2")).isFalse();
      assertThat(a.l1.caffeine.getIfPresent("k")).isNull();
      assertThat(a.coherence.pendingCount()).isEqualTo(1);
      assertThat(a.invalidate("k")).isFalse();
      assertThat(a.coherence.pendingCount()).isEqualTo(1);
      AtomicInteger loads = new AtomicInteger();
      assertThat(a.get("k", k -> "v2#" + loads.incrementAndGet())).isEqualTo("v2#1");

      redis.start();
      eventually(Duration.ofSeconds(10), "A healthy", () -> a.health() == Health.UP);
      eventually(Duration.ofSeconds(10), "B healthy", () -> b.health() == Health.UP);
      eventually(Duration.ofSeconds(5), "A replayed", () -> a.coherence.pendingCount() == 0);
      // B's L1 was suspect and is flushed: no stale v1 anywhere
      eventually(
          Duration.ofSeconds(5), "B flushed its L1", () -> b.l1.caffeine.getIfPresent("k") == null);
      assertThat(b.get("k", k -> "v2")).isEqualTo("v2");
      assertThat(a.get("k", k -> "v2")).isIn("v2", "v2#1");
      assertThat(a.put("k", "v3")).isTrue();
      eventually(Duration.ofSeconds(1), "B sees v3", () -> "v3".equals(b.get("k", k -> "x")));
    }
  }

  @Test
  void aPasswordProtectedRedisServesTheRightPasswordAndNamesAWrongOne() {
    try (RedisClient admin = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> c = admin.connect()) {
      c.sync().configSet("requirepass", "s3cret");
    }
    String withPassword = redis.uri().replace("redis://", "redis://:s3cret@");
    String wrongPassword = redis.uri().replace("redis://", "redis://:wrong@");
    try (RedisTier good = tier(withPassword, registryA);
        RedisTier bad = tier(wrongPassword, registryB);
        TieredCache<String, String> a = cache("auth", good, registryA)) {
      assertThat(a.health()).isEqualTo(Health.UP);
      assertThat(a.put("k", "v")).isTrue();
      assertThat(bad.health()).isEqualTo(Health.DEGRADED);
      assertThat(bad.problem())
          .hasValueSatisfying(
              p ->
                  assertThat(p)
                      .startsWith("Redis " + bad.address() + " unreachable since ")
                      .containsIgnoringCase("WRONGPASS")
                      .doesNotContain("wrong@"));
    }
  }

  @Test
  void aRefusedSubscriptionDegradesTheCacheAndIsRetriedUntilRedisAllowsIt() throws Exception {
    try (RedisClient admin = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> c = admin.connect()) {
      // may read and write every key, but subscribe to no channel: SUBSCRIBE answers NOPERM
      c.sync()
          .aclSetuser(
              "nochannels",
              AclSetuserArgs.Builder.on()
                  .addPassword("pw")
                  .allKeys()
                  .allCommands()
                  .resetChannels());
      String limited = redis.uri().replace("redis://", "redis://nochannels:pw@");
      try (RedisTier deaf = tier(limited, registryA);
          RedisTier full = tier(redis.uri(), registryB);
          TieredCache<String, String> a = cache("acl", deaf, registryA);
          TieredCache<String, String> b = cache("acl", full, registryB)) {
        assertThat(deaf.health()).isEqualTo(Health.UP);
        assertThat(a.health()).as("a cache that hears no invalidations").isEqualTo(Health.DEGRADED);
        assertThat(b.health()).isEqualTo(Health.UP);
        assertThat(a.get("k", k -> "v1")).isEqualTo("v1"); // now in a's L1
        assertThat(b.put("k", "v2")).isTrue(); // a does not hear it

        c.sync().aclSetuser("nochannels", AclSetuserArgs.Builder.allChannels());
        eventually(
            Duration.ofSeconds(5),
            "a subscribed once Redis allows it",
            () -> a.health() == Health.UP);
        // subscribed: the L1 that missed invalidations meanwhile was flushed
        eventually(
            Duration.ofSeconds(1),
            "a flushed its suspect L1",
            () -> "v2".equals(a.getIfPresent("k")));
        assertThat(a.put("k", "v3")).isTrue();
        eventually(
            Duration.ofSeconds(1),
            "b hears a's invalidation",
            () -> "v3".equals(b.getIfPresent("k")));
        assertThat(b.put("k", "v4")).isTrue();
        eventually(
            Duration.ofSeconds(1),
            "a hears b's invalidation",
            () -> "v4".equals(a.getIfPresent("k")));

        // after a reconnect Lettuce resubscribes by itself, and only logs a refusal: the sweep
        // must keep trying
        c.sync().aclSetuser("nochannels", AclSetuserArgs.Builder.resetChannels());
        c.sync().clientKill(KillArgs.Builder.typePubsub());
        eventually(
            Duration.ofSeconds(5), "a noticed the kill", () -> a.health() == Health.DEGRADED);
        eventually(Duration.ofSeconds(5), "a's tier reconnected", () -> deaf.health() == Health.UP);
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(a.health()).as("resubscription refused").isEqualTo(Health.DEGRADED);
        c.sync().aclSetuser("nochannels", AclSetuserArgs.Builder.allChannels());
        eventually(Duration.ofSeconds(5), "a subscribed again", () -> a.health() == Health.UP);
        assertThat(b.put("k", "v5")).isTrue();
        eventually(
            Duration.ofSeconds(1),
            "a hears b's invalidation again",
            () -> "v5".equals(a.getIfPresent("k")));
      }
    }
  }

  @Test
  void cacheBuiltWhileRedisIsDownStartsDegradedAndConnectsWhenItAppears() {
    redis.stop();
    try (RedisTier tierA = tier(redis.uri(), registryA);
        TieredCache<String, String> a = cache("late", tierA, registryA)) {
      assertThat(a.health()).isEqualTo(Health.DEGRADED);
      long t0 = System.nanoTime();
      assertThat(a.get("k", k -> "loaded")).isEqualTo("loaded");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      assertThat(a.put("k2", "v")).isFalse();

      redis.start();
      eventually(Duration.ofSeconds(10), "connected", () -> a.health() == Health.UP);
      eventually(Duration.ofSeconds(5), "pending replayed", () -> a.coherence.pendingCount() == 0);
      assertThat(a.put("k2", "v")).isTrue();
      try (RedisTier tierB = tier(redis.uri(), registryB);
          TieredCache<String, String> b = cache("late", tierB, registryB)) {
        assertThat(b.get("k2", k -> "other")).isEqualTo("v");
      }
    }
  }
}
