package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.cacheBuilder;
import static io.chimera.perf.cache.RedisFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.Health;
import io.chimera.perf.testing.CommandLineTools;
import io.chimera.perf.testing.RedisTlsServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real redis-server speaking TLS (certificates from a throw-away CA made by openssl). */
class RedisTlsIT {

  private static RedisTlsServer redis;
  private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
  private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    CommandLineTools.require("openssl", "openssl"); // makes the throw-away certificates
    redis = RedisTlsServer.launch();
  }

  @AfterAll
  static void stop() {
    if (redis != null) { // null when openssl is missing and the class was skipped
      redis.close();
    }
  }

  /**
   * A TLS tier with room for a cold JVM's first handshake (often far over the 50 ms default command
   * timeout, sometimes near a second on a loaded 2-core machine).
   */
  private static RedisTier tlsTier(String uri, Path trusted, SimpleMeterRegistry registry) {
    return RedisTier.builder(uri)
        .trustedCertificates(trusted)
        .meterRegistry(registry)
        .commandTimeout(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(5))
        .maxReconnectDelay(Duration.ofMillis(200))
        .build();
  }

  @Test
  void trustingTheServersCaCachesAndInvalidatesAcrossInstancesOverTls() {
    try (RedisTier tierA = tlsTier(redis.uri(), redis.caCertificate(), registryA);
        RedisTier tierB = tlsTier(redis.uri(), redis.caCertificate(), registryB);
        TieredCache<String, String> a = cacheBuilder("tls", tierA, registryA).build();
        TieredCache<String, String> b = cacheBuilder("tls", tierB, registryB).build()) {
      eventually(Duration.ofSeconds(10), "A up", () -> a.health() == Health.UP);
      eventually(Duration.ofSeconds(10), "B up", () -> b.health() == Health.UP);
      assertThat(tierA.address()).isEqualTo(redis.uri());
      assertThat(a.put("k", "v1")).isTrue();
      // B reads A's value from Redis over its own TLS connection, never from its loader
      assertThat(b.get("k", k -> "loaded by B")).isEqualTo("v1");
      assertThat(a.invalidate("k")).isTrue();
      eventually(
          Duration.ofSeconds(1),
          "B drops k on A's invalidation",
          () -> b.l1.caffeine.getIfPresent("k") == null);
      assertThat(a.put("k2", "v2")).isTrue();
    }
    // the same server read without TLS holds what the TLS clients wrote
    try (RedisClient plain = RedisClient.create(redis.plainUri());
        StatefulRedisConnection<String, String> c = plain.connect()) {
      assertThat(c.sync().exists("chimera:tls:k2")).isEqualTo(1L);
      assertThat(c.sync().exists("chimera:tls:k")).isZero();
    }
  }

  @Test
  void aServerSignedByAnotherCaIsRefusedTheCacheStaysDegradedAndSaysWhy() {
    try (RedisTier tier = tlsTier(redis.uri(), redis.otherCaCertificate(), registryA);
        TieredCache<String, String> c = cacheBuilder("tls-untrusted", tier, registryA).build()) {
      assertThat(c.health()).isEqualTo(Health.DEGRADED);
      assertThat(tier.problem())
          .hasValueSatisfying(
              p ->
                  assertThat(p)
                      .startsWith("Redis " + redis.uri() + " unreachable since ")
                      .containsIgnoringCase("certification path"));
      long t0 = System.nanoTime();
      assertThat(c.get("k", k -> "from loader")).isEqualTo("from loader");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));
      assertThat(c.put("k", "v")).isFalse();
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefusedThoughItsCaIsTrusted() {
    try (RedisTlsServer elsewhere = RedisTlsServer.launch("DNS:cache.internal");
        RedisTier tier = tlsTier(elsewhere.uri(), elsewhere.caCertificate(), registryA);
        TieredCache<String, String> c = cacheBuilder("tls-host", tier, registryA).build()) {
      // the chain is good, but the certificate does not name 127.0.0.1
      assertThat(c.health()).isEqualTo(Health.DEGRADED);
      assertThat(tier.problem())
          .hasValueSatisfying(p -> assertThat(p).containsIgnoringCase("subject alternative names"));
      assertThat(c.get("k", k -> "from loader")).isEqualTo("from loader");
    }
  }

  @Test
  void tlsToAPlainPortFailsTheHandshakeNotTheCaller() {
    String plainPortOverTls = redis.plainUri().replace("redis://", "rediss://");
    // the plain server never answers the TLS hello: set-up ends at the connect timeout
    try (RedisTier tier =
            RedisTier.builder(plainPortOverTls)
                .trustedCertificates(redis.caCertificate())
                .meterRegistry(registryA)
                .connectTimeout(Duration.ofMillis(300))
                .build();
        TieredCache<String, String> c = cacheBuilder("tls-plain", tier, registryA).build()) {
      assertThat(c.health()).isEqualTo(Health.DEGRADED);
      assertThat(tier.problem())
          .hasValueSatisfying(p -> assertThat(p).startsWith("Redis " + plainPortOverTls));
      assertThat(c.get("k", k -> "from loader")).isEqualTo("from loader");
    }
  }

  @Test
  void trustedCertificatesAreCheckedWhenGiven(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> RedisTier.builder(redis.uri()).trustedCertificates(notPem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not.pem");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> RedisTier.builder(redis.uri()).trustedCertificates(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
    assertThatThrownBy(
            () ->
                RedisTier.builder(redis.plainUri())
                    .trustedCertificates(redis.caCertificate())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not use TLS");
  }
}
