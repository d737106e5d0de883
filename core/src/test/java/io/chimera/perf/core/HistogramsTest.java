package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistogramsTest {

  @Test
  void interpolatesLinearlyInsideTheBucketLikeHistogramQuantile() {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    buckets.put(0.1, 50.0);
    buckets.put(0.2, 90.0);
    buckets.put(0.5, 100.0);
    buckets.put(Double.POSITIVE_INFINITY, 100.0);
    // rank 95 lies in (0.2, 0.5] which holds 10: 0.2 + 0.3 * 5/10
    assertThat(Histograms.quantile(buckets, 0.95)).isCloseTo(0.35, within(1e-12));
    // rank 25 lies in (0, 0.1]
    assertThat(Histograms.quantile(buckets, 0.25)).isCloseTo(0.05, within(1e-12));
  }

  @Test
  void rankBeyondTheLastFiniteBucketGivesItsBound() {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    buckets.put(1.0, 10.0);
    buckets.put(Double.POSITIVE_INFINITY, 100.0);
    assertThat(Histograms.quantile(buckets, 0.99)).isEqualTo(1.0);
  }

  @Test
  void emptyHistogramsHaveNoQuantile() {
    assertThat(Histograms.quantile(new TreeMap<>(), 0.5)).isNaN();
    TreeMap<Double, Double> zero = new TreeMap<>();
    zero.put(1.0, 0.0);
    assertThat(Histograms.quantile(zero, 0.5)).isNaN();
  }

  @Test
  void callsAboveTheTopBucketCountLikePrometheusInf() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.core.instrument.Timer timer =
        io.micrometer.core.instrument.Timer.builder("t")
            .serviceLevelObjectives(java.time.Duration.ofSeconds(1))
            .register(registry);
    for (int i = 0; i < 90; i++) {
      timer.record(java.time.Duration.ofMillis(500));
    }
    for (int i = 0; i < 10; i++) {
      timer.record(java.time.Duration.ofSeconds(30)); // above the only bucket
    }
    // rank 95 lies beyond the 1 s bucket: PromQL answers the top finite bound, not ~0.9 s
    assertThat(Histograms.quantileSeconds(java.util.List.of(timer), 0.95)).isEqualTo(1.0);
  }
}
