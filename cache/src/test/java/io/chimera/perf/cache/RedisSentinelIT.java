package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.cache;
import static io.chimera.perf.cache.RedisFixtures.eventually;
import static io.chimera.perf.cache.RedisFixtures.tier;
import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.Health;
import io.chimera.perf.testing.RedisSentinel;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache on a real Redis Sentinel: the tier finds its master through the sentinel. */
class RedisSentinelIT {

  private RedisSentinel sentinel;
  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    sentinel = RedisSentinel.launch();
  }

  @AfterEach
  void stop() {
    sentinel.close();
  }

  @Test
  void aTierFindsItsMasterThroughTheSentinelAndKeepsInstancesCoherent() {
    try (RedisTier tierA = tier(sentinel.uri(), registryA);
        RedisTier tierB = tier(sentinel.uri(), registryB);
        TieredCache<String, String> a = cache("sentinel", tierA, registryA);
        TieredCache<String, String> b = cache("sentinel", tierB, registryB)) {
      eventually(Duration.ofSeconds(10), "A up", () -> a.health() == Health.UP);
      eventually(Duration.ofSeconds(10), "B up", () -> b.health() == Health.UP);
      assertThat(tierA.address()).isEqualTo("redis-sentinel://127.0.0.1#" + RedisSentinel.MASTER);
      assertThat(a.put("k", "v1")).isTrue();
      assertThat(b.get("k", k -> "loaded by B")).isEqualTo("v1");
      assertThat(a.put("k", "v2")).isTrue();
      eventually(
          Duration.ofSeconds(1),
          "B drops k on A's write",
          () -> b.l1.caffeine.getIfPresent("k") == null);
      assertThat(b.get("k", k -> "loaded by B")).isEqualTo("v2");
    }
    // what the tiers wrote is on the master the sentinel named
    try (RedisClient direct = RedisClient.create(sentinel.master().uri());
        StatefulRedisConnection<String, String> c = direct.connect()) {
      assertThat(c.sync().exists("chimera:sentinel:k")).isEqualTo(1L);
    }
  }

  @Test
  void theMasterStoppingDegradesTheCacheAndItsReturnRestoresIt() {
    try (RedisTier t = tier(sentinel.uri(), registryA);
        TieredCache<String, String> c = cache("sentinel-outage", t, registryA)) {
      eventually(Duration.ofSeconds(10), "up", () -> c.health() == Health.UP);
      assertThat(c.put("k", "v1")).isTrue();
      sentinel.master().stop();
      eventually(Duration.ofSeconds(5), "degraded", () -> c.health() == Health.DEGRADED);
      assertThat(c.get("other", k -> "from loader")).isEqualTo("from loader");
      assertThat(c.put("k", "v2")).isFalse();
      // the failed write dropped the writer's own L1 entry and is kept for replay
      assertThat(c.l1.caffeine.getIfPresent("k")).isNull();
      assertThat(c.coherence.pendingCount()).isEqualTo(1);

      sentinel.master().start();
      eventually(Duration.ofSeconds(10), "up again", () -> c.health() == Health.UP);
      eventually(Duration.ofSeconds(5), "replayed", () -> c.coherence.pendingCount() == 0);
      // the master restarted empty (no persistence): nothing old to serve, the loader answers
      assertThat(c.get("k", k -> "reloaded")).isEqualTo("reloaded");
      assertThat(c.put("k", "v3")).isTrue();
    }
  }

  @Test
  void anUnknownMasterNameStaysDegradedAndSaysWhich() {
    String unknown = sentinel.uri().replace("#" + RedisSentinel.MASTER, "#nosuch");
    try (RedisTier t = tier(unknown, registryA);
        TieredCache<String, String> c = cache("sentinel-unknown", t, registryA)) {
      assertThat(c.health()).isEqualTo(Health.DEGRADED);
      assertThat(t.problem())
          .hasValueSatisfying(
              p -> assertThat(p).startsWith("Redis redis-sentinel://127.0.0.1#nosuch unreachable"));
      assertThat(c.get("k", k -> "from loader")).isEqualTo("from loader");
    }
  }
}
