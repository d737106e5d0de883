package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chimera.perf.core.Perf008.Api;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlaTrackerTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FakeTicker ticker = new FakeTicker();
  private final SlaTracker sla = SlaTracker.create(registry, ticker);

  @Test
  void registersOneTimerPerApiAndOutcomeUpFront() {
    assertThat(registry.find(MetricNames.API_REQUESTS).timers()).hasSize(Api.values().length * 2);
    assertThat(registry.find(MetricNames.API_THROUGHPUT).gauge()).isNotNull();
  }

  @Test
  void timersHaveSloBucketsAtEveryPerf008LatencyThreshold() {
    sla.record(Api.GENERATE, Duration.ofSeconds(3), true);
    Timer timer =
        registry
            .get(MetricNames.API_REQUESTS)
            .tags("api", "generate", "outcome", "success")
            .timer();
    double[] bounds =
        Arrays.stream(timer.takeSnapshot().histogramCounts())
            .mapToDouble(b -> b.bucket(TimeUnit.MILLISECONDS))
            .toArray();
    for (Duration threshold : Perf008.apiLatencyThresholds()) {
      assertThat(bounds).as("bucket at %s", threshold).contains((double) threshold.toMillis());
    }
  }

  @Test
  void sloBucketsCountCallsUnderEachThresholdExactly() {
    for (int i = 0; i < 90; i++) {
      sla.record(Api.TRANSFORM, Duration.ofMillis(900), true);
    }
    for (int i = 0; i < 10; i++) {
      sla.record(Api.TRANSFORM, Duration.ofMillis(1800), true);
    }
    Timer timer =
        registry
            .get(MetricNames.API_REQUESTS)
            .tags("api", "transform", "outcome", "success")
            .timer();
    for (CountAtBucket b : timer.takeSnapshot().histogramCounts()) {
      double ms = b.bucket(TimeUnit.MILLISECONDS);
      if (ms == 1000) {
        assertThat(b.count()).isEqualTo(90);
      } else if (ms == 2000) {
        assertThat(b.count()).isEqualTo(100);
      }
    }
  }

  @Test
  void snapshotReportsPercentilesThroughputAndErrorRate() {
    for (int i = 0; i < 100; i++) {
      // 1..100 ms, two in every hundred fail
      sla.record(Api.HEALTH, Duration.ofMillis(i + 1), i % 50 != 0);
    }
    ticker.advance(Duration.ofSeconds(10));
    SlaTracker.Snapshot s = sla.snapshot(Api.HEALTH);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50().toMillis()).isBetween(40L, 60L);
    assertThat(s.p95().toMillis()).isBetween(85L, 105L);
    assertThat(s.p99().toMillis()).isBetween(90L, 110L);
    assertThat(s.p50()).isLessThan(s.p95());
    assertThat(s.throughput()).isCloseTo(10.0, within(1e-9));
    assertThat(s.errorRate()).isCloseTo(0.02, within(1e-12));
    assertThat(sla.throughput()).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void anApiWithoutCallsHasNoPercentilesAndNaNErrorRate() {
    SlaTracker.Snapshot s = sla.snapshot(Api.PROVIDERS);
    assertThat(s.count()).isZero();
    assertThat(s.p95()).isNull();
    assertThat(s.errorRate()).isNaN();
    assertThat(s.throughput()).isZero();
  }

  @Test
  void oneTrackerPerRegistrySoThroughputSeesEveryCall() {
    assertThat(SlaTracker.create(registry, ticker)).isSameAs(sla);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SlaTracker.create(registry, new FakeTicker()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another ticker");
  }
}
