package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.breaker.ProviderBreakers;
import io.chimera.perf.core.Health;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.HashedWheelTimer;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Configuration errors and the Lettuce client a tier is built on; no Redis needed. */
class RedisTierBuilderTest {

  @Test
  void aUriThatDoesNotParseIsRefusedWithoutItsPassword() {
    assertThatThrownBy(() -> RedisTier.builder("redis://:s3cret@host:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Redis URI")
        .hasMessageContaining("//***@host:99999")
        .hasMessageContaining("Port out of range")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void defaultsAreAShortCommandTimeoutAndAnAddressWithoutCredentials() {
    RedisTierBuilder b = RedisTier.builder("rediss://:s3cret@cache.internal:6380/2");
    assertThat(b.commandTimeout).isEqualTo(RedisTier.DEFAULT_COMMAND_TIMEOUT);
    assertThat(RedisTier.DEFAULT_COMMAND_TIMEOUT).isLessThan(Duration.ofMillis(100));
    assertThat(b.uri.isSsl()).isTrue();
    assertThat(RedisTier.builder("redis-sentinel://s1:26379,s2:26379#mymaster").uri.getSentinels())
        .hasSize(2);
  }

  @Test
  void eachSentinelsConnectionIsSetUpWithinTheConnectTimeout() {
    RedisTierBuilder b =
        RedisTier.builder("redis-sentinel://127.0.0.1:1,127.0.0.1:2#mymaster")
            .connectTimeout(Duration.ofMillis(400));
    HashedWheelTimer timer = b.newTimer();
    ClientResources resources = b.newResources(timer);
    AbstractRedisClient client = b.newClient(resources);
    try {
      // Lettuce's own default for a sentinel's connection is 60 s
      assertThat(b.uri.getSentinels())
          .extracting(RedisURI::getTimeout)
          .containsOnly(Duration.ofMillis(400));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      var unused = resources.shutdown(0, 2, TimeUnit.SECONDS);
      timer.stop();
    }
  }

  @Test
  void tlsAndSentinelTiersBuildWhileUnreachableAndNameTheirAddressWithoutCredentials() {
    try (RedisTier tls =
            RedisTier.builder("rediss://:s3cret@127.0.0.1:1")
                .name("tls")
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        RedisTier sentinel =
            RedisTier.builder("redis-sentinel://:s3cret@127.0.0.1:1#mymaster")
                .name("sentinel")
                .meterRegistry(new SimpleMeterRegistry())
                .build()) {
      assertThat(tls.address()).isEqualTo("rediss://127.0.0.1:1");
      assertThat(sentinel.address()).isEqualTo("redis-sentinel://127.0.0.1#mymaster");
      for (RedisTier t : new RedisTier[] {tls, sentinel}) {
        assertThat(t.health()).isEqualTo(Health.DEGRADED);
        assertThat(t.problem())
            .hasValueSatisfying(
                p ->
                    assertThat(p)
                        .startsWith("Redis " + t.address() + " unreachable since ")
                        .doesNotContain("s3cret"));
      }
    }
  }

  @Test
  void aConnectFailureIsDescribedByItsInnermostCause() {
    assertThat(
            RedisTier.rootCause(
                new RuntimeException(
                    "Unable to connect to cache.internal/<unresolved>:6379",
                    new UnknownHostException("cache.internal"))))
        .isEqualTo("UnknownHostException: cache.internal");
    assertThat(
            RedisTier.rootCause(
                new RuntimeException(
                    "Unable to connect", new IllegalStateException("WRONGPASS invalid password"))))
        .isEqualTo("WRONGPASS invalid password");
    assertThat(RedisTier.rootCause(new RuntimeException(new SSLHandshakeException(""))))
        .isEqualTo("SSLHandshakeException");
  }

  @Test
  void timeoutsOutsideTheirRangesAreRefusedNamingTheSetting() {
    RedisTierBuilder b = RedisTier.builder("redis://127.0.0.1:1");
    assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be 1 ms to 10000 ms, got 0 ms");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("connectTimeout must be 10 ms to 60000 ms");
    assertThatThrownBy(() -> b.maxReconnectDelay(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxReconnectDelay must be");
    assertThatThrownBy(() -> b.name("no spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tier name");
  }

  @Test
  void aConnectTimeoutShorterThanTheCommandTimeoutIsRefusedAtBuild() {
    RedisTierBuilder b =
        RedisTier.builder("redis://127.0.0.1:1")
            .commandTimeout(Duration.ofMillis(500))
            .connectTimeout(Duration.ofMillis(100));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout (100 ms) must not be shorter than commandTimeout (500 ms)");
  }

  @Test
  void breakersWithNoRoomForRedisAreRefusedAtBuildBeforeAnyThreadStarts() {
    try (ProviderBreakers full =
        ProviderBreakers.builder("full")
            .maxProviders(1)
            .meterRegistry(new SimpleMeterRegistry())
            .build()) {
      var unused = full.circuitBreaker("openai");
      RedisTierBuilder b = RedisTier.builder("redis://127.0.0.1:1").name("no-room").breakers(full);
      assertThatThrownBy(b::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("refusing new provider 'redis'");
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().endsWith("-no-room") && t.isAlive());
    }
  }

  @Test
  void bothKindsOfClientRefuseCommandsWhileDisconnectedAndTimeThemOut() {
    for (boolean cluster : new boolean[] {false, true}) {
      RedisTierBuilder b =
          RedisTier.builder("redis://127.0.0.1:1")
              .cluster(cluster)
              .commandTimeout(Duration.ofMillis(70))
              .connectTimeout(Duration.ofMillis(300));
      HashedWheelTimer timer = b.newTimer();
      ClientResources resources = b.newResources(timer);
      AbstractRedisClient client = b.newClient(resources);
      try {
        ClientOptions options;
        if (cluster) {
          assertThat(client).isInstanceOf(RedisClusterClient.class);
          options = ((RedisClusterClient) client).getOptions();
          assertThat(options).isInstanceOf(ClusterClientOptions.class);
        } else {
          assertThat(client).isInstanceOf(RedisClient.class);
          options = ((RedisClient) client).getOptions();
        }
        assertThat(options.getDisconnectedBehavior())
            .as("cluster=%s", cluster)
            .isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        assertThat(options.isAutoReconnect()).isTrue();
        assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
        assertThat(options.getSocketOptions().getConnectTimeout())
            .isEqualTo(Duration.ofMillis(300));
        assertThat(options.getSocketOptions().isKeepAlive()).isTrue();
        // commands expire after the command timeout; a connection's set-up (TLS handshake,
        // HELLO, AUTH, a Sentinel's master lookup) may take the connect timeout
        TimeoutOptions.TimeoutSource source = options.getTimeoutOptions().getSource();
        assertThat(millis(source, CommandType.GET)).isEqualTo(70);
        assertThat(millis(source, CommandType.PUBLISH)).isEqualTo(70);
        assertThat(millis(source, CommandType.SENTINEL)).isEqualTo(300);
        assertThat(b.uri.getTimeout()).isEqualTo(Duration.ofMillis(300));
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        var unused = resources.shutdown(0, 2, TimeUnit.SECONDS);
        timer.stop();
      }
    }
  }

  private static long millis(TimeoutOptions.TimeoutSource source, CommandType type) {
    return source.getTimeUnit().toMillis(source.getTimeout(new Command<>(type, null)));
  }
}
