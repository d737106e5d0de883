package io.chimera.perf.benchmarks.review;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008.Direction;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.ReviewSection;
import io.chimera.perf.core.Perf008.Unit;
import io.chimera.perf.core.Probe;
import java.util.ArrayList;
import java.util.List;

/** The weekly review checklist of PERF-008: each item of each section with the checks it runs. */
final class Checklist {

  private Checklist() {}

  record Item(ReviewSection section, String text, List<Check> checks) {}

  private static final String OURS = "chimera-perf heuristic (the guide gives no number)";

  static final Check ACTIVE_ALERTS =
      new Check(
          "Firing chimera alerts",
          Unit.COUNT,
          Direction.LOWER_IS_BETTER,
          0.5,
          0.5,
          "count(ALERTS{alertstate=\"firing\",alertname=~\"Chimera.*\"}) or vector(0)",
          null,
          "none; any firing alert is ALERT");

  static final Check CACHE_HEALTH =
      new Check(
          "Cache health (1 up, 0.5 degraded, 0 down)",
          Unit.COUNT,
          Direction.HIGHER_IS_BETTER,
          0.75,
          0.25,
          "min by (cache) (chimera_cache_health)",
          Probe.gauge(MetricNames.CACHE_HEALTH, MetricNames.TAG_CACHE),
          "degraded is WARN, down is ALERT");

  static final Check THRASH =
      new Check(
          "L1 thrash ratio",
          Unit.RATIO,
          Direction.LOWER_IS_BETTER,
          0.10,
          0.30,
          "max by (cache) (chimera_cache_l1_thrash_ratio)",
          Probe.gauge(MetricNames.CACHE_L1_THRASH_RATIO, MetricNames.TAG_CACHE),
          OURS);

  static final Check SLA_BREACHES =
      new Check(
          "SLA and SLO alerts fired in the past 7 days",
          Unit.COUNT,
          Direction.LOWER_IS_BETTER,
          0.5,
          0.5,
          "count(max_over_time(ALERTS{alertstate=\"firing\",category=~\"SLA|SLO\"}[7d])) or vector(0)",
          null,
          "none; any breach is ALERT");

  static final Check GRADIENT_TREND =
      new Check(
          "Gradient trend, 1h vs previous 1h",
          Unit.COUNT,
          Direction.LOWER_IS_BETTER,
          1.10,
          1.50,
          "(sum(rate(chimera_optimizer_gradient_duration_seconds_sum[1h]))"
              + " / sum(rate(chimera_optimizer_gradient_duration_seconds_count[1h])))"
              + " / (sum(rate(chimera_optimizer_gradient_duration_seconds_sum[1h] offset 1h))"
              + " / sum(rate(chimera_optimizer_gradient_duration_seconds_count[1h] offset 1h)))",
          null,
          OURS + ": +10% is WARN, +50% is ALERT");

  static final Check GRADIENT_SPIKES =
      new Check(
          "Slowest recent gradient evaluation",
          Unit.SECONDS,
          Direction.LOWER_IS_BETTER,
          KeyMetric.GRADIENT_DURATION.target(),
          KeyMetric.GRADIENT_DURATION.alert(),
          "max by (optimizer) (chimera_optimizer_gradient_duration_seconds_max)",
          Probe.gauge(
              MetricNames.OPTIMIZER_GRADIENT_DURATION + ".seconds.max", MetricNames.TAG_OPTIMIZER),
          "PERF-008 gradient thresholds applied to the maximum");

  static final Check SIZE_ANOMALIES =
      new Check(
          "Response size anomalies",
          Unit.COUNT,
          Direction.LOWER_IS_BETTER,
          0.5,
          Double.POSITIVE_INFINITY,
          "sum(increase(chimera_compression_size_anomalies_total[7d])) or vector(0)",
          Probe.gauge(MetricNames.COMPRESSION_SIZE_ANOMALIES + ".total", ""),
          "none; any anomaly is WARN");

  static final Check OPEN_BREAKERS =
      new Check(
          "Breakers open now",
          Unit.COUNT,
          Direction.LOWER_IS_BETTER,
          0.5,
          Double.POSITIVE_INFINITY,
          "sum(chimera_breaker_state{state=\"open\"}) or vector(0)",
          Probe.gauge(MetricNames.BREAKER_STATE, "", MetricNames.TAG_STATE, "open"),
          "none; an open breaker is WARN until it recovers");

  static List<Item> items() {
    List<Item> items = new ArrayList<>();
    for (ReviewSection section : ReviewSection.values()) {
      List<String> texts = section.items();
      for (int i = 0; i < texts.size(); i++) {
        items.add(new Item(section, texts.get(i), checks(section, i)));
      }
    }
    return items;
  }

  private static List<Check> checks(ReviewSection section, int item) {
    return switch (section) {
      case ALERTS -> List.of(ACTIVE_ALERTS);
      case CACHE ->
          switch (item) {
            case 0 ->
                keys(KeyMetric.L1_HIT_RATE, KeyMetric.L2_HIT_RATE, KeyMetric.COMBINED_HIT_RATE);
            case 1 -> keys(KeyMetric.L1_MEMORY_UTILIZATION);
            case 2 -> List.of(CACHE_HEALTH);
            default -> List.of(THRASH);
          };
      case CONNECTION_POOL ->
          switch (item) {
            case 0 -> keys(KeyMetric.POOL_UTILIZATION);
            case 1 -> keys(KeyMetric.POOL_AVG_WAIT);
            case 2 -> keys(KeyMetric.POOL_STALE_CONNECTIONS);
            default -> keys(KeyMetric.POOL_FAILURE_RATE);
          };
      case SLA ->
          switch (item) {
            case 0 -> keys(KeyMetric.GENERATE_P95);
            case 1 -> keys(KeyMetric.TRANSFORM_P95);
            case 2 -> keys(KeyMetric.THROUGHPUT);
            default -> List.of(SLA_BREACHES);
          };
      case GRADIENT_OPTIMIZER ->
          switch (item) {
            case 0 -> List.of(Check.of(KeyMetric.GRADIENT_DURATION), GRADIENT_TREND);
            case 1 -> List.of(GRADIENT_SPIKES);
            default -> keys(KeyMetric.WORKER_QUEUE_BACKLOG);
          };
      case COMPRESSION -> item == 0 ? keys(KeyMetric.COMPRESSION_RATIO) : List.of(SIZE_ANOMALIES);
      case CIRCUIT_BREAKER ->
          item == 0 ? keys(KeyMetric.BREAKER_TRIP_RATE) : List.of(OPEN_BREAKERS);
    };
  }

  private static List<Check> keys(KeyMetric... metrics) {
    List<Check> out = new ArrayList<>();
    for (KeyMetric m : metrics) {
      out.add(Check.of(m));
    }
    return out;
  }
}
