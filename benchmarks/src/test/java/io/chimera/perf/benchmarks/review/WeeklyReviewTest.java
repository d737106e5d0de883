package io.chimera.perf.benchmarks.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.ReviewSection;
import io.chimera.perf.core.Perf008.Status;
import io.chimera.perf.core.SlaTracker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WeeklyReviewTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private WeeklyReview.Report reviewOfScrape() throws Exception {
    return WeeklyReview.run(new ScrapeSource(Scrape.parse(registry.scrape()), "test"));
  }

  private static double value(WeeklyReview.Report report, String check) {
    return report.items().stream()
        .flatMap(i -> i.results().stream())
        .filter(r -> r.check().name().equals(check))
        .findFirst()
        .orElseThrow()
        .measurement()
        .value();
  }

  @Test
  void parsesLabelsWithEscapesAndSpecialValues() {
    Scrape s =
        Scrape.parse(
            """
            # TYPE x gauge
            x{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 1.5
            y +Inf
            z{le="+Inf"} NaN 1700000000
            garbage line
            """);
    assertThat(s.samples).hasSize(3);
    assertThat(s.samples.get(0).labels())
        .containsEntry("a", "q\"uote")
        .containsEntry("b", "back\\slash")
        .containsEntry("c", "new\nline");
    assertThat(s.samples.get(0).value()).isEqualTo(1.5);
    assertThat(s.samples.get(1).value()).isInfinite();
    assertThat(s.types).containsEntry("x", "gauge");
  }

  @Test
  void everyChecklistItemOfTheGuideIsEvaluated() throws Exception {
    WeeklyReview.Report report = reviewOfScrape();
    int items = 0;
    for (ReviewSection section : ReviewSection.values()) {
      items += section.items().size();
      assertThat(report.section(section)).hasSize(section.items().size());
    }
    assertThat(report.items()).hasSize(items);
    assertThat(report.worst()).isEqualTo(Status.NO_DATA);
  }

  @Test
  void scrapeAnswersGaugesTimersQuantilesAndFailureRatiosLikeTheInProcessReview() throws Exception {
    Gauge.builder(MetricNames.CACHE_HIT_RATIO, () -> 0.4)
        .tags("cache", "prompts", "tier", "l1")
        .register(registry);
    Gauge.builder(MetricNames.CACHE_HIT_RATIO, () -> 0.9)
        .tags("cache", "sessions", "tier", "l1")
        .register(registry);
    Timer ok =
        Timer.builder(MetricNames.POOL_ACQUIRE)
            .tags("pool", "db", "provider", "pg", "outcome", "success")
            .register(registry);
    Timer timeout =
        Timer.builder(MetricNames.POOL_ACQUIRE)
            .tags("pool", "db", "provider", "pg", "outcome", "timeout")
            .register(registry);
    for (int i = 0; i < 98; i++) {
      ok.record(Duration.ofMillis(20));
    }
    timeout.record(Duration.ofMillis(120));
    timeout.record(Duration.ofMillis(120));
    SlaTracker sla = SlaTracker.create(registry);
    for (int i = 0; i < 100; i++) {
      sla.record(Perf008.Api.TRANSFORM, Duration.ofMillis(i < 90 ? 800 : 1900), true);
    }

    WeeklyReview.Report report = reviewOfScrape();
    assertThat(value(report, "L1 Hit Rate")).isEqualTo(0.4);
    assertThat(value(report, "Avg Wait Time"))
        .isCloseTo((98 * 0.020 + 2 * 0.120) / 100, within(1e-9));
    assertThat(value(report, "Failure Rate")).isCloseTo(0.02, within(1e-12));
    // the in-process review reads the same registry: both must agree
    double inProcess =
        io.chimera.perf.core.PerformanceReview.review(registry)
            .row(KeyMetric.TRANSFORM_P95)
            .value();
    assertThat(value(report, "Transform API P95")).isCloseTo(inProcess, within(1e-9));
    assertThat(report.worst()).isEqualTo(Status.ALERT);
    String text = ReviewFormat.text(report);
    assertThat(text).contains("[cache=prompts]").contains("Overall: ALERT");
    assertThat(ReviewFormat.markdown(report))
        .contains("| Check L1 and L2 cache hit rates | ALERT |");
    assertThat(ReviewFormat.json(report))
        .startsWith("{\"source\":\"scrape of test\",\"overall\":\"ALERT\"");
  }

  @Test
  void badUsageAndUnreachableSourcesExitWithTwo() throws Exception {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(ReviewCommand.run(new String[0], out)).isEqualTo(2);
    assertThat(ReviewCommand.run(new String[] {"--bogus", "x"}, out)).isEqualTo(2);
    assertThat(ReviewCommand.run(new String[] {"--metrics", "http://127.0.0.1:1/metrics"}, out))
        .isEqualTo(2);
    assertThat(ReviewCommand.run(new String[] {"--prometheus", "http://127.0.0.1:1"}, out))
        .isEqualTo(2);
  }
}
