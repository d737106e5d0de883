package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.RedisCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A 3-master Redis Cluster: keys of one getAll land on different slots and nodes. */
class RedisClusterIT {

  @Test
  void getAllAcrossSlotsReadsAndWritesEveryNode() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisCluster cluster = RedisCluster.launch(3);
        RedisTier tierA =
            RedisTier.builder(cluster.uris().get(0))
                .cluster(true)
                .commandTimeout(Duration.ofMillis(200))
                .meterRegistry(registry)
                .build();
        RedisTier tierB =
            RedisTier.builder(cluster.uris().get(1))
                .cluster(true)
                .commandTimeout(Duration.ofMillis(200))
                .meterRegistry(registry)
                .build();
        TieredCache<String, String> a = RedisFixtures.cache("cl", tierA, registry);
        TieredCache<String, String> b =
            RedisFixtures.cache("cl", tierB, new SimpleMeterRegistry())) {
      assertThat(a.health()).isEqualTo(Health.UP);
      List<String> keys = new ArrayList<>();
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < 60; i++) {
        keys.add("key-" + i);
        values.put("key-" + i, "value-" + i);
      }
      AtomicInteger bulkCalls = new AtomicInteger();
      assertThat(
              a.getAll(
                  keys,
                  missing -> {
                    bulkCalls.incrementAndGet();
                    return values;
                  }))
          .isEqualTo(values);
      assertThat(bulkCalls).hasValue(1);
      eventually(
          Duration.ofSeconds(3),
          "one pipelined write of what was loaded",
          () ->
              registry
                      .find(MetricNames.CACHE_L2_OPERATIONS)
                      .tag(MetricNames.TAG_OP, MetricNames.OP_PIPELINE)
                      .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_SUCCESS)
                      .timer()
                      .count()
                  == 1);
      // a second instance finds every key in L2 through one cross-slot MGET
      eventually(
          Duration.ofSeconds(3),
          "all keys in L2",
          () -> b.getAll(keys, missing -> Map.of()).size() == keys.size());
      // invalidation crosses the cluster bus to the other instance
      assertThat(b.get("key-7", k -> "x")).isEqualTo("value-7");
      assertThat(a.invalidate("key-7")).isTrue();
      eventually(
          Duration.ofSeconds(1),
          "B dropped key-7",
          () -> b.l1.caffeine.getIfPresent("key-7") == null);
      assertThat(a.invalidateAll()).isTrue();
      eventually(
          Duration.ofSeconds(1),
          "every node scanned and B's L1 emptied",
          () -> b.getAll(keys, missing -> Map.of()).isEmpty());
      // a Cluster's PUBLISH counts one node's subscribers: confirmations cannot be counted
      assertThatThrownBy(
              () ->
                  RedisFixtures.cacheBuilder("cl-acked", tierA, registry)
                      .acknowledgedInvalidation(Duration.ofSeconds(1))
                      .build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("acknowledgedInvalidation needs a standalone or Sentinel Redis");
    }
  }
}
