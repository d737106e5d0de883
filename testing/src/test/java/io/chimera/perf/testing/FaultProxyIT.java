package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each fault observed by a real Lettuce client talking to a real Redis through the proxy. */
@ExtendWith(RedisExtension.class)
class FaultProxyIT {
  private final RedisServer redis;
  private FaultProxy proxy;
  private RedisClient client;

  FaultProxyIT(RedisServer redis) {
    this.redis = redis;
  }

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.start(redis.host(), redis.port());
    RedisURI uri = RedisURI.create(proxy.host(), proxy.port());
    uri.setTimeout(Duration.ofSeconds(5));
    client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
  }

  @AfterEach
  void stopProxy() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    proxy.close();
    assertThat(proxy.openConnections()).isZero();
  }

  @Test
  void passThroughForwardsCommandsAndCountsConnections() {
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().set("proxied", "yes");
      assertThat(c.sync().get("proxied")).isEqualTo("yes");
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
    await(() -> proxy.openConnections() == 0);
  }

  @Test
  void latencyDelaysEveryRoundTrip() {
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      proxy.latency(Duration.ofMillis(60), Duration.ofMillis(40));
      long start = System.nanoTime();
      assertThat(c.sync().ping()).isEqualTo("PONG");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(100));
      proxy.passThrough();
      assertThat(c.sync().ping()).isEqualTo("PONG");
    }
  }

  @Test
  void resetBreaksOpenConnectionsAndRefusesNewOnesUntilCleared() {
    StatefulRedisConnection<String, String> c = client.connect();
    assertThat(c.sync().ping()).isEqualTo("PONG");
    proxy.resetConnections();
    assertThat(proxy.mode()).isEqualTo(FaultProxy.Mode.RESET);
    await(() -> !c.isOpen());
    assertThatThrownBy(() -> c.sync().ping()).isInstanceOf(RedisException.class);
    assertThatThrownBy(client::connect).isInstanceOf(RedisException.class);

    proxy.passThrough();
    try (StatefulRedisConnection<String, String> fresh = client.connect()) {
      assertThat(fresh.sync().ping()).isEqualTo("PONG");
    }
    c.close();
  }

  @Test
  void blackHoleMakesCommandsTimeOutUntilCleared() {
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.setTimeout(Duration.ofMillis(300));
      proxy.blackHole();
      assertThatThrownBy(() -> c.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);
      assertThat(c.isOpen()).isTrue();
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
    proxy.passThrough();
    try (StatefulRedisConnection<String, String> fresh = client.connect()) {
      assertThat(fresh.sync().ping()).isEqualTo("PONG");
    }
  }

  @Test
  void closeAllConnectionsDisconnectsClientsButAcceptsNewOnes() {
    StatefulRedisConnection<String, String> c = client.connect();
    assertThat(c.sync().ping()).isEqualTo("PONG");
    proxy.closeAllConnections();
    await(() -> !c.isOpen());
    assertThatThrownBy(() -> c.sync().ping()).isInstanceOf(RedisException.class);
    assertThat(proxy.openConnections()).isZero();

    try (StatefulRedisConnection<String, String> fresh = client.connect()) {
      assertThat(fresh.sync().ping()).isEqualTo("PONG");
    }
    assertThat(proxy.acceptedConnections()).isEqualTo(2);
    c.close();
  }

  static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
