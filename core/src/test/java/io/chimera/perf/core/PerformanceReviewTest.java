package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Status;
import io.chimera.perf.core.PerformanceReview.Report;
import io.chimera.perf.core.PerformanceReview.Row;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PerformanceReviewTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  private void gauge(String name, double value, String... tags) {
    Gauge.builder(name, () -> value).tags(tags).register(registry);
  }

  private Row row(KeyMetric metric) {
    return PerformanceReview.review(registry).row(metric);
  }

  @Test
  void everyRowIsNoDataOnAnEmptyRegistry() {
    Report report = PerformanceReview.review(registry);
    assertThat(report.rows()).hasSize(KeyMetric.values().length);
    assertThat(report.rows()).allMatch(r -> r.status() == Status.NO_DATA);
    assertThat(report.worst()).isEqualTo(Status.NO_DATA);
  }

  @ParameterizedTest(name = "L1 hit ratio {0} -> {1}")
  @CsvSource({"0.9, OK", "0.6, WARN", "0.2, ALERT"})
  void higherIsBetterGaugeRowTakesEachStatus(double value, Status expected) {
    gauge(MetricNames.CACHE_HIT_RATIO, value, "cache", "prompts", "tier", "l1");
    assertThat(row(KeyMetric.L1_HIT_RATE).status()).isEqualTo(expected);
    assertThat(row(KeyMetric.L1_HIT_RATE).value()).isEqualTo(value);
  }

  @ParameterizedTest(name = "backlog {0} -> {1}")
  @CsvSource({"10, OK", "75, WARN", "150, ALERT"})
  void lowerIsBetterGaugeRowTakesEachStatus(double value, Status expected) {
    gauge(MetricNames.WORKER_QUEUE_BACKLOG, value, "pool", "optimizer");
    assertThat(row(KeyMetric.WORKER_QUEUE_BACKLOG).status()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "mean wait {0} ms -> {1}")
  @CsvSource({"10, OK", "70, WARN", "150, ALERT"})
  void timerMeanRowTakesEachStatus(long millis, Status expected) {
    Timer t =
        Timer.builder(MetricNames.POOL_ACQUIRE)
            .tags("pool", "db", "provider", "pg", "outcome", "success")
            .register(registry);
    t.record(Duration.ofMillis(millis));
    t.record(Duration.ofMillis(millis));
    Row row = row(KeyMetric.POOL_AVG_WAIT);
    assertThat(row.status()).isEqualTo(expected);
    assertThat(row.value()).isCloseTo(millis / 1000.0, within(1e-9));
    assertThat(row.subject()).isEqualTo("pool=db");
  }

  @Test
  void theWorstCacheDecidesAndIsNamed() {
    gauge(MetricNames.CACHE_HIT_RATIO, 0.95, "cache", "a", "tier", "l1");
    gauge(MetricNames.CACHE_HIT_RATIO, 0.40, "cache", "b", "tier", "l1");
    gauge(MetricNames.CACHE_HIT_RATIO, Double.NaN, "cache", "c", "tier", "l1");
    Row row = row(KeyMetric.L1_HIT_RATE);
    assertThat(row.value()).isEqualTo(0.40);
    assertThat(row.status()).isEqualTo(Status.ALERT);
    assertThat(row.subject()).isEqualTo("cache=b");
  }

  @Test
  void staleConnectionsAreSummedPerPoolAcrossProviders() {
    gauge(MetricNames.POOL_CONNECTIONS_STALE, 4, "pool", "http", "provider", "openai");
    gauge(MetricNames.POOL_CONNECTIONS_STALE, 3, "pool", "http", "provider", "anthropic");
    gauge(MetricNames.POOL_CONNECTIONS_STALE, 1, "pool", "db", "provider", "pg");
    Row row = row(KeyMetric.POOL_STALE_CONNECTIONS);
    assertThat(row.value()).isEqualTo(7);
    assertThat(row.status()).isEqualTo(Status.WARN);
  }

  @Test
  void utilizationTakesTheBusiestProviderOfAPoolInsteadOfAddingThemUp() {
    gauge(MetricNames.POOL_UTILIZATION, 0.5, "pool", "http", "provider", "openai");
    gauge(MetricNames.POOL_UTILIZATION, 0.6, "pool", "http", "provider", "anthropic");
    Row row = row(KeyMetric.POOL_UTILIZATION);
    assertThat(row.value()).isEqualTo(0.6);
    assertThat(row.status()).isEqualTo(Status.OK);
  }

  @Test
  void waitAndFailureRowsAlsoReadFunctionTimers() {
    long[] ok = {98, TimeUnit.MILLISECONDS.toNanos(98 * 60)};
    long[] timedOut = {2, TimeUnit.MILLISECONDS.toNanos(2 * 500)};
    FunctionTimer.builder(MetricNames.POOL_ACQUIRE, ok, a -> a[0], a -> a[1], TimeUnit.NANOSECONDS)
        .tags("pool", "db", "provider", "pg", "outcome", "success")
        .register(registry);
    FunctionTimer.builder(
            MetricNames.POOL_ACQUIRE, timedOut, a -> a[0], a -> a[1], TimeUnit.NANOSECONDS)
        .tags("pool", "db", "provider", "pg", "outcome", "timeout")
        .register(registry);
    Row wait = row(KeyMetric.POOL_AVG_WAIT);
    assertThat(wait.value()).isCloseTo((98 * 0.060 + 2 * 0.5) / 100, within(1e-9));
    assertThat(wait.status()).isEqualTo(Status.WARN);
    assertThat(wait.subject()).isEqualTo("pool=db");
    Row failures = row(KeyMetric.POOL_FAILURE_RATE);
    assertThat(failures.value()).isCloseTo(0.02, within(1e-12));
    assertThat(failures.status()).isEqualTo(Status.ALERT);
    assertThat(ok[0] + timedOut[0]).isEqualTo(100); // the timers' sources stay reachable
  }

  @ParameterizedTest(name = "{0} failures of 1000 -> {1}")
  @CsvSource({"5, OK", "10, WARN", "30, ALERT"})
  void failureRatioCountsEveryNonSuccessOutcome(int failures, Status expected) {
    Timer ok = acquire("success");
    Timer timeout = acquire("timeout");
    for (int i = 0; i < 1000 - failures; i++) {
      ok.record(Duration.ofMillis(1));
    }
    for (int i = 0; i < failures; i++) {
      timeout.record(Duration.ofMillis(1));
    }
    Row row = row(KeyMetric.POOL_FAILURE_RATE);
    assertThat(row.value()).isCloseTo(failures / 1000.0, within(1e-12));
    assertThat(row.status()).isEqualTo(expected);
  }

  @Test
  void slaRowsReadTheTrackersHistograms() {
    SlaTracker sla = SlaTracker.create(registry, new FakeTicker());
    for (int i = 0; i < 100; i++) {
      sla.record(Perf008.Api.TRANSFORM, Duration.ofMillis(i < 90 ? 800 : 1900), true);
      sla.record(Perf008.Api.GENERATE, Duration.ofMillis(i < 97 ? 3000 : 12000), true);
    }
    Row transform = row(KeyMetric.TRANSFORM_P95);
    assertThat(transform.value()).isBetween(1.5, 2.0);
    assertThat(transform.status()).isEqualTo(Status.WARN);
    assertThat(row(KeyMetric.GENERATE_P95).status()).isEqualTo(Status.OK);
  }

  @Test
  void rendersTextMarkdownAndJson() {
    gauge(MetricNames.CACHE_HIT_RATIO, 0.9, "cache", "prompts", "tier", "l1");
    gauge(MetricNames.WORKER_QUEUE_BACKLOG, 150, "pool", "optimizer");
    Report report = PerformanceReview.review(registry);
    assertThat(report.worst()).isEqualTo(Status.ALERT);

    String text = report.toText();
    assertThat(text.lines().count()).isEqualTo(KeyMetric.values().length + 3);
    assertThat(text).contains("L1 Hit Rate").contains("90%").contains(">70%").contains("<50%");
    // aligned: every row's Status column starts at the same offset as the header's
    int statusColumn = text.lines().findFirst().orElseThrow().indexOf("Status");
    assertThat(text.lines().skip(2).limit(KeyMetric.values().length))
        .allMatch(l -> l.length() > statusColumn && l.charAt(statusColumn - 1) == ' ');

    String md = report.toMarkdown();
    assertThat(md)
        .startsWith("| Category | Metric |")
        .contains("| Queue Backlog | 150 | <50 | >100 | ALERT |");

    String json = report.toJson();
    assertThat(json)
        .startsWith("{\"worst\":\"ALERT\"")
        .contains("\"id\":\"L1_HIT_RATE\"")
        .contains("\"value\":0.9")
        .contains("\"value\":null")
        .contains("\"status\":\"NO_DATA\"");
  }

  private Timer acquire(String outcome) {
    return Timer.builder(MetricNames.POOL_ACQUIRE)
        .tags("pool", "db", "provider", "pg", "outcome", outcome)
        .register(registry);
  }
}
