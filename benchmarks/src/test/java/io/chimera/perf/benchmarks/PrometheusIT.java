package io.chimera.perf.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chimera.perf.benchmarks.review.ReviewCommand;
import io.chimera.perf.breaker.ProviderBreakers;
import io.chimera.perf.core.MetricsServer;
import io.chimera.perf.core.MonitoringGenerator;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.Perf008.Api;
import io.chimera.perf.core.SlaTracker;
import io.chimera.perf.testing.CommandLineTools;
import io.chimera.perf.testing.PrometheusServer;
import io.chimera.perf.testing.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scrapes a {@link MetricsServer} fed by real activity of the
 * modules, evaluates a copy of the generated rules (with every {@code for} cut to 0s), and drives
 * alerts to firing; the weekly review then reads both the server and the endpoint.
 */
class PrometheusIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private PrometheusServer prometheus;
  private MetricsServer metrics;
  private SlaTracker sla;
  private ProviderBreakers breakers;
  private Workload workload;

  @BeforeEach
  void start(@TempDir Path tmp) throws Exception {
    CommandLineTools.require("prometheus", "prometheus");
    // shares the workload's timers (same registry, same meter ids) to force slow transforms
    sla = SlaTracker.create(registry);
    breakers =
        ProviderBreakers.builder("flaky-providers")
            .meterRegistry(registry)
            .defaultConfig(
                CircuitBreakerConfig.custom()
                    .slidingWindowSize(2)
                    .minimumNumberOfCalls(2)
                    .failureRateThreshold(50)
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .waitDurationInOpenState(Duration.ofMillis(50))
                    .build())
            .build();
    closeables.add(breakers);
    RedisServer redis = RedisServer.launch();
    closeables.add(redis);
    // every module's meters, from the demo's traffic
    workload = new Workload(registry, redis.uri());
    closeables.add(workload);
    metrics = MetricsServer.builder(registry).start();
    closeables.add(metrics);

    String rules =
        MonitoringGenerator.files()
            .get(Perf008.ALERT_RULES_PATH)
            .replaceAll("for: \\d+[mh]", "for: 0s");
    Path rulesFile = tmp.resolve("chimera-alerts.yml");
    Files.writeString(rulesFile, rules, StandardCharsets.UTF_8);
    prometheus = PrometheusServer.start(List.of("127.0.0.1:" + metrics.port()), rulesFile);
    closeables.add(prometheus);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  @Test
  void chimeraSeriesArriveWithTheirLabelsAndForcedConditionsFireTheirAlerts() throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Set<String> firing = new TreeSet<>();
    int rounds = 0;
    while (System.nanoTime() < deadline
        && !firing.containsAll(Set.of("ChimeraBreakerTripRateHigh", "ChimeraTransformP95High"))) {
      drive();
      if (++rounds % 4 == 0) {
        workload.optimize();
      }
      firing = alerts();
    }
    assertThat(firing).contains("ChimeraBreakerTripRateHigh", "ChimeraTransformP95High");

    JsonNode trips = query("chimera_breaker_trips_total{provider=\"flaky\"}");
    assertThat(trips).isNotEmpty();
    JsonNode labels = trips.get(0).path("metric");
    assertThat(labels.path("breaker").asText()).isEqualTo("flaky-providers");
    assertThat(labels.path("provider").asText()).isEqualTo("flaky");
    assertThat(labels.path("job").asText()).isEqualTo("chimera");

    JsonNode buckets = query("chimera_api_requests_seconds_bucket{api=\"transform\",le=\"2.0\"}");
    assertThat(buckets).as("an SLO bucket at the 2 s transform alert").isNotEmpty();
    assertThat(query("chimera_compression_bytes_in_total")).isNotEmpty();
    assertThat(query("chimera_cache_requests_total{cache=\"prompts\",tier=\"l2\",result=\"miss\"}"))
        .isNotEmpty();
    assertThat(
            query("chimera_cache_health{cache=\"prompts\"}").get(0).path("value").get(1).asDouble())
        .isEqualTo(1.0);
    assertThat(query("chimera_worker_queue_backlog{pool=\"optimizer\"}")).isNotEmpty();
    assertThat(
            query(
                "chimera_optimizer_gradient_duration_seconds_bucket{optimizer=\"ranker\",le=\"0.3\"}"))
        .as("an SLO bucket at the 300 ms gradient target")
        .isNotEmpty();
    assertThat(query("chimera_breaker_trip_rate")).isNotEmpty();
    // the generated recording rules evaluate against the real series
    assertThat(
            query("global:chimera_breaker_trip_rate:rate5m").get(0).path("value").get(1).asDouble())
        .isGreaterThan(Perf008.KeyMetric.BREAKER_TRIP_RATE.alert());

    String fromPrometheus = review("--prometheus", prometheus.uri().toString());
    String fromScrape = review("--metrics", metrics.metricsUri().toString());
    for (Perf008.ReviewSection section : Perf008.ReviewSection.values()) {
      for (String item : section.items()) {
        assertThat(fromPrometheus).contains(item);
        assertThat(fromScrape).contains(item);
      }
    }
    assertThat(fromPrometheus).contains("exit=1").containsPattern("ALERT +Firing chimera alerts");
    assertThat(fromScrape).contains("exit=1").containsPattern("ALERT +Transform API P95");
  }

  /** The demo's traffic, plus slow transforms (P95 past 2 s) and a provider that keeps tripping. */
  private void drive() throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      sla.record(Api.TRANSFORM, Duration.ofMillis(2500), true);
      sla.record(Api.HEALTH, Duration.ofMillis(20), true);
      try {
        breakers.call(
            "flaky",
            () -> {
              throw new IllegalStateException("provider down");
            });
      } catch (RuntimeException expected) {
        // failures and refusals are the point
      }
    }
    workload.round();
    Thread.sleep(100);
  }

  private Set<String> alerts() throws Exception {
    JsonNode body = get(prometheus.uri().resolve("/api/v1/alerts"));
    Set<String> names = new TreeSet<>();
    for (JsonNode alert : body.path("data").path("alerts")) {
      String state = alert.path("state").asText();
      if (state.equals("firing") || state.equals("pending")) {
        names.add(alert.path("labels").path("alertname").asText());
      }
    }
    return names;
  }

  private JsonNode query(String promQl) throws Exception {
    URI uri =
        prometheus
            .uri()
            .resolve("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
    return get(uri).path("data").path("result");
  }

  private JsonNode get(URI uri) throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String review(String... args) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = ReviewCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8) + "\nexit=" + code;
  }
}
