package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisClusterIT {

  @Test
  void writesAcrossSlotsLandOnAllThreeMasters(RedisCluster cluster) {
    assertThat(cluster.size()).isEqualTo(3);
    List<RedisURI> uris =
        cluster.uris().stream().map(RedisURI::create).collect(Collectors.toList());
    RedisClusterClient client = RedisClusterClient.create(uris);
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> commands = connection.sync();
      Set<Integer> portsWritten = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        String key = "key-" + i;
        commands.set(key, "v" + i);
        assertThat(commands.get(key)).isEqualTo("v" + i);
        RedisClusterNode node =
            connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        portsWritten.add(node.getUri().getPort());
      }
      assertThat(portsWritten)
          .containsExactlyInAnyOrder(cluster.port(0), cluster.port(1), cluster.port(2));
      assertThat(commands.clusterInfo()).contains("cluster_state:ok");
      assertThat(commands.dbsize()).isEqualTo(100L);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void killedNodeRejoinsAfterRestart(RedisCluster cluster) {
    cluster.kill(1);
    assertThat(cluster.isRunning(1)).isFalse();
    cluster.start(1);
    assertThat(cluster.isRunning(1)).isTrue();
    RedisClusterClient client = RedisClusterClient.create(RedisURI.create(cluster.uris().get(1)));
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().clusterInfo()).contains("cluster_state:ok");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
