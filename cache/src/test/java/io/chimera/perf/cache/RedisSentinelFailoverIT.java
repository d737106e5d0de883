package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.cache;
import static io.chimera.perf.cache.RedisFixtures.eventually;
import static io.chimera.perf.cache.RedisFixtures.tier;
import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.Health;
import io.chimera.perf.testing.FixtureException;
import io.chimera.perf.testing.RedisSentinel;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A Sentinel failover: the sentinel promotes the replica once the master is killed, and the tiers
 * follow it (their own class: the other Sentinel tests need no replica).
 */
class RedisSentinelFailoverIT {

  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();

  @Test
  void aFailoverMovesTheTiersToThePromotedReplica() {
    try (RedisSentinel failover = RedisSentinel.launchWithReplica();
        RedisTier tierA = tier(failover.uri(), registryA);
        RedisTier tierB = tier(failover.uri(), registryB);
        TieredCache<String, String> a = cache("failover", tierA, registryA);
        TieredCache<String, String> b = cache("failover", tierB, registryB);
        RedisClient direct = RedisClient.create(failover.replica().uri());
        StatefulRedisConnection<String, String> replica = direct.connect()) {
      eventually(Duration.ofSeconds(10), "A up", () -> a.health() == Health.UP);
      eventually(Duration.ofSeconds(10), "B up", () -> b.health() == Health.UP);
      assertThat(a.put("k", "v1")).isTrue();
      eventually(
          Duration.ofSeconds(5),
          "k replicated",
          () -> replica.sync().exists("chimera:failover:k") == 1);
      assertThat(b.get("k", k -> "loaded by B")).isEqualTo("v1");

      failover.master().kill();
      eventually(
          Duration.ofSeconds(30),
          "the sentinel promoted the replica",
          () -> masterPort(failover) == failover.replica().port());
      // no write while cut off: a failed one would leave a pending DEL that may follow v2
      eventually(Duration.ofSeconds(15), "A up on the new master", () -> a.health() == Health.UP);
      eventually(Duration.ofSeconds(15), "B up on the new master", () -> b.health() == Health.UP);
      assertThat(a.coherence.pendingCount()).isZero();
      // a replica refuses writes (READONLY): a write that succeeds went to the promoted one
      assertThat(a.put("k", "v2")).isTrue();
      eventually(
          Duration.ofSeconds(5),
          "B drops its old copy and reads A's write",
          () -> "v2".equals(b.get("k", k -> "loaded by B")));
      assertThat(replica.sync().exists("chimera:failover:k")).isEqualTo(1L);
      assertThat(replica.sync().info("replication")).contains("role:master");
    }
  }

  /** The port of the master the sentinel names now, or -1 while it does not answer in time. */
  private static int masterPort(RedisSentinel sentinel) {
    try {
      return sentinel.currentMasterPort();
    } catch (FixtureException e) {
      return -1;
    }
  }
}
