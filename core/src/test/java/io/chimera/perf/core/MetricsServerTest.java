package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient client = HttpClient.newHttpClient();
  private MetricsServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesPrometheusTextWithChimeraSeriesOnLoopback() throws Exception {
    Counter.builder(MetricNames.CACHE_REQUESTS)
        .tags("cache", "prompts", "tier", "l1", "result", "hit")
        .register(registry)
        .increment(3);
    server = MetricsServer.builder(registry).start();
    assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isPositive();

    HttpResponse<byte[]> r = get("/metrics");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue(MetricsServer.PROMETHEUS_TEXT_CONTENT_TYPE);
    assertThat(body)
        .contains("chimera_cache_requests_total{cache=\"prompts\",result=\"hit\",tier=\"l1\"} 3.0");
  }

  @Test
  void servesOpenMetricsWhenTheScraperAsksForIt() throws Exception {
    Counter.builder(MetricNames.BREAKER_TRIPS)
        .tags("breaker", "b", "provider", "p")
        .register(registry);
    server = MetricsServer.builder(registry).start();
    HttpResponse<byte[]> r =
        get("/metrics", "Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue(MetricsServer.OPENMETRICS_CONTENT_TYPE);
    assertThat(body).contains("chimera_breaker_trips_total").endsWith("# EOF\n");
  }

  @Test
  void gzipsWhenAskedAndOnlyThen() throws Exception {
    Counter.builder(MetricNames.WORKER_REJECTED).tag("pool", "w").register(registry);
    server = MetricsServer.builder(registry).start();
    HttpResponse<byte[]> gz = get("/metrics", "Accept-Encoding", "br;q=1, gzip;q=0.8");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String body;
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).contains("chimera_worker_rejected_total");

    HttpResponse<byte[]> refused = get("/metrics", "Accept-Encoding", "gzip;q=0");
    assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(MetricsServer.acceptsGzip("identity, *;q=0.1")).isTrue();
    assertThat(MetricsServer.acceptsGzip("gzip;q=bogus")).isFalse();
  }

  @Test
  void healthReportsTheWorstCheckAndFailsWithDown() throws Exception {
    AtomicReference<Health> cache = new AtomicReference<>(Health.UP);
    server =
        MetricsServer.builder(registry)
            .healthCheck("cache:prompts", cache::get)
            .healthCheck("pool:db", () -> Health.UP)
            .start();
    HttpResponse<byte[]> up = get("/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(new String(up.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"status\":\"UP\",\"checks\":{\"cache:prompts\":{\"status\":\"UP\"},"
                + "\"pool:db\":{\"status\":\"UP\"}}}");

    cache.set(Health.DEGRADED);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(server.health()).isEqualTo(Health.DEGRADED);

    cache.set(Health.DOWN);
    HttpResponse<byte[]> down = get("/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(new String(down.body(), StandardCharsets.UTF_8)).startsWith("{\"status\":\"DOWN\"");
  }

  @Test
  void aThrowingHealthCheckCountsAsDown() throws Exception {
    server =
        MetricsServer.builder(registry)
            .healthCheck(
                "broken",
                () -> {
                  throw new IllegalStateException("boom");
                })
            .start();
    assertThat(get("/health").statusCode()).isEqualTo(503);
  }

  @Test
  void refusesOtherMethods() throws Exception {
    server = MetricsServer.builder(registry).start();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(server.metricsUri())
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void closeReleasesThePort() throws Exception {
    server = MetricsServer.builder(registry).start();
    URI uri = server.metricsUri();
    server.close();
    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
    server = MetricsServer.builder(registry).port(uri.getPort()).start();
    assertThat(server.port()).isEqualTo(uri.getPort());
  }

  @Test
  void aTakenPortFailsWithIoException() throws Exception {
    server = MetricsServer.builder(registry).start();
    assertThatThrownBy(() -> MetricsServer.builder(registry).port(server.port()).start())
        .isInstanceOf(IOException.class);
  }

  @Test
  void builderRejectsBadSettingsWithTheValue() {
    assertThatThrownBy(() -> MetricsServer.builder(registry).port(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> MetricsServer.builder(registry).threads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(
            () ->
                MetricsServer.builder(registry)
                    .healthCheck("a", () -> Health.UP)
                    .healthCheck("a", () -> Health.UP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a'");
  }
}
