package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chimera.perf.core.Perf008.Category;
import io.chimera.perf.core.Perf008.Direction;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.LoadProfile;
import io.chimera.perf.core.Perf008.Operation;
import io.chimera.perf.core.Perf008.Severity;
import io.chimera.perf.core.Perf008.Slo;
import io.chimera.perf.core.Perf008.Status;
import io.chimera.perf.core.Perf008.Unit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Perf008Test {

  @ParameterizedTest(name = "{0}: target {1}, alert {2}")
  @CsvSource({
    "L1_HIT_RATE, >70%, <50%",
    "L2_HIT_RATE, >80%, <50%",
    "COMBINED_HIT_RATE, >85%, <30%",
    "L1_MEMORY_UTILIZATION, <70%, >90%",
    "POOL_UTILIZATION, <70%, >90%",
    "POOL_AVG_WAIT, <50ms, >100ms",
    "POOL_STALE_CONNECTIONS, <5, >10",
    "POOL_FAILURE_RATE, <1%, >1%",
    "GRADIENT_DURATION, <300ms, >500ms",
    "WORKER_QUEUE_BACKLOG, <50, >100",
    "COMPRESSION_RATIO, >50%, <50%",
    "BREAKER_TRIP_RATE, <0.05/sec, >0.1/sec",
    "GENERATE_P95, <7s, >10s",
    "TRANSFORM_P95, <1.5s, >2s",
    "THROUGHPUT, >10/sec, <10/sec"
  })
  void keyMetricsReadAsTheGuideWritesThem(KeyMetric metric, String target, String alert) {
    assertThat(metric.targetText()).isEqualTo(target);
    assertThat(metric.alertText()).isEqualTo(alert);
  }

  @Test
  void everyKeyMetricRowOfTheGuideIsPresentInOrder() {
    assertThat(KeyMetric.values()).hasSize(15);
    assertThat(KeyMetric.values())
        .extracting(KeyMetric::category)
        .containsExactly(
            Category.CACHE,
            Category.CACHE,
            Category.CACHE,
            Category.CACHE,
            Category.CONNECTION_POOL,
            Category.CONNECTION_POOL,
            Category.CONNECTION_POOL,
            Category.CONNECTION_POOL,
            Category.OPTIMIZER,
            Category.WORKER_POOL,
            Category.COMPRESSION,
            Category.CIRCUIT_BREAKER,
            Category.SLA,
            Category.SLA,
            Category.SLA);
    for (KeyMetric m : KeyMetric.values()) {
      assertThat(m.promQl()).as(m.name()).contains("chimera_");
      assertThat(m.probe().meter()).as(m.name()).startsWith(MetricNames.PREFIX);
      // the target is never on the wrong side of the alert threshold
      if (m.direction() == Direction.HIGHER_IS_BETTER) {
        assertThat(m.target()).as(m.name()).isGreaterThanOrEqualTo(m.alert());
      } else {
        assertThat(m.target()).as(m.name()).isLessThanOrEqualTo(m.alert());
      }
    }
  }

  @Test
  void higherIsBetterRowsClassifyEveryStatus() {
    KeyMetric m = KeyMetric.L1_HIT_RATE; // >70%, alert <50%
    assertThat(m.status(0.71)).isEqualTo(Status.OK);
    assertThat(m.status(0.70)).isEqualTo(Status.WARN);
    assertThat(m.status(0.60)).isEqualTo(Status.WARN);
    assertThat(m.status(0.50)).isEqualTo(Status.WARN);
    assertThat(m.status(0.49)).isEqualTo(Status.ALERT);
    assertThat(m.status(Double.NaN)).isEqualTo(Status.NO_DATA);
  }

  @Test
  void lowerIsBetterRowsClassifyEveryStatus() {
    KeyMetric m = KeyMetric.POOL_AVG_WAIT; // <50ms, alert >100ms
    assertThat(m.status(0.010)).isEqualTo(Status.OK);
    assertThat(m.status(0.050)).isEqualTo(Status.WARN);
    assertThat(m.status(0.100)).isEqualTo(Status.WARN);
    assertThat(m.status(0.101)).isEqualTo(Status.ALERT);
    assertThat(m.status(Double.NaN)).isEqualTo(Status.NO_DATA);
  }

  @Test
  void rowsWhoseTargetEqualsTheAlertWarnOnlyAtTheBoundary() {
    assertThat(KeyMetric.POOL_FAILURE_RATE.status(0.005)).isEqualTo(Status.OK);
    assertThat(KeyMetric.POOL_FAILURE_RATE.status(0.01)).isEqualTo(Status.WARN);
    assertThat(KeyMetric.POOL_FAILURE_RATE.status(0.02)).isEqualTo(Status.ALERT);
    assertThat(KeyMetric.THROUGHPUT.status(12)).isEqualTo(Status.OK);
    assertThat(KeyMetric.THROUGHPUT.status(9)).isEqualTo(Status.ALERT);
  }

  @Test
  void testThresholdsMatchTheGuide() {
    assertThat(Operation.HEALTH_CHECK.p50()).isEqualTo(Duration.ofMillis(50));
    assertThat(Operation.HEALTH_CHECK.p99()).isEqualTo(Duration.ofMillis(200));
    assertThat(Operation.HEALTH_CHECK.minRps()).hasValue(100);
    assertThat(Operation.HEALTH_CHECK.maxErrorRate()).isEmpty();
    assertThat(Operation.LIST_PROVIDERS.p95()).isEqualTo(Duration.ofMillis(200));
    assertThat(Operation.LIST_PROVIDERS.minRps()).hasValue(50);
    assertThat(Operation.TRANSFORM_PROMPT.p99()).isEqualTo(Duration.ofSeconds(2));
    assertThat(Operation.TRANSFORM_PROMPT.minRps()).isEmpty();
    assertThat(Operation.TRANSFORM_PROMPT.maxErrorRate().getAsDouble()).isEqualTo(0.02);
  }

  @Test
  void loadProfilesSlosAndEscalationMatchTheGuide() {
    assertThat(LoadProfile.SMOKE.users()).isEqualTo(10);
    assertThat(LoadProfile.STRESS.spawnRatePerSecond()).isEqualTo(50);
    assertThat(LoadProfile.SOAK.duration()).isEqualTo(Duration.ofHours(1));
    assertThat(Slo.API_AVAILABILITY.target()).isEqualTo(0.999);
    assertThat(Slo.API_AVAILABILITY.errorBudget()).isCloseTo(0.001, within(1e-12));
    assertThat(Slo.ERROR_RATE.errorBudget()).isEqualTo(0.01);
    assertThat(Slo.API_LATENCY_P95.errorBudget()).isNaN();
    assertThat(Severity.P0.responseTime()).isEqualTo(Duration.ofMinutes(15));
    assertThat(Severity.P1.escalation()).isEqualTo("Engineering lead");
    assertThat(Perf008.ReviewSection.values()).hasSize(7);
  }

  @Test
  void apiLatencyThresholdsCollectEveryLimitOnce() {
    List<Duration> t = Perf008.apiLatencyThresholds();
    assertThat(t)
        .containsExactly(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(1500),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(7),
            Duration.ofSeconds(10));
  }

  @Test
  void formatsValuesTheWayTheGuideDoes() {
    assertThat(Perf008.format(Unit.RATIO, 0.853)).isEqualTo("85.3%");
    assertThat(Perf008.format(Unit.SECONDS, 0.0425)).isEqualTo("42.5ms");
    assertThat(Perf008.format(Unit.SECONDS, 7)).isEqualTo("7s");
    assertThat(Perf008.format(Unit.PER_SECOND, 0.05)).isEqualTo("0.05/sec");
    assertThat(Perf008.format(Unit.COUNT, 3)).isEqualTo("3");
    assertThat(Perf008.format(Unit.COUNT, Double.NaN)).isEqualTo("-");
  }
}
