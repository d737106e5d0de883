package io.chimera.perf.core;

import io.chimera.perf.core.AlertCatalog.Alert;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Slo;
import java.util.ArrayList;
import java.util.List;

/**
 * For every generated alert, input series that breach its threshold and series that meet the
 * target, derived from the thresholds in {@link Perf008}. The promtool unit tests are built from
 * these, so a changed threshold moves its tests with it.
 */
final class AlertScenarios {

  private AlertScenarios() {}

  /** One input series: a selector and per-minute samples in promtool's expanding notation. */
  record Series(String selector, String values) {}

  /**
   * What to feed an alert.
   *
   * @param breaching series that push the value past the alert threshold
   * @param healthy series that keep it inside the target
   * @param value the value the alert reports while breaching
   */
  record Scenario(List<Series> breaching, List<Series> healthy, double value) {}

  /** How many one-minute samples each series has, past the longest {@code for} plus margin. */
  static final int SAMPLES = 100;

  static final String BAD = "bad";
  static final String GOOD = "good";

  static Scenario of(Alert alert) {
    for (KeyMetric m : KeyMetric.values()) {
      if (alert.name().startsWith("Chimera" + AlertCatalog.pascal(m.name()))
          && alert.category().equals(m.category().title())) {
        return keyMetric(m);
      }
    }
    for (Slo slo : Slo.values()) {
      if (alert.name().startsWith("ChimeraSlo" + AlertCatalog.pascal(slo.name()))) {
        return slo(slo);
      }
    }
    if (alert.name().contains("BudgetBurn")) {
      // half the requests failing burns every budget faster than the fastest factor; half the
      // smallest budget burns none
      double smallest = Double.MAX_VALUE;
      for (Slo slo : AlertCatalog.budgetSlos()) {
        smallest = Math.min(smallest, slo.errorBudget());
        if (0.5 <= AlertCatalog.Burn.FAST.factor * slo.errorBudget()) {
          throw new IllegalStateException("the burn scenario cannot breach " + slo);
        }
      }
      return new Scenario(errors(0.5), errors(smallest / 2), 0.5);
    }
    throw new IllegalStateException("no scenario for " + alert.name());
  }

  private static Scenario keyMetric(KeyMetric m) {
    double bad;
    double good;
    switch (m) {
      case L1_HIT_RATE, L2_HIT_RATE -> {
        bad = m.alert() / 2;
        good = (m.target() + 1) / 2;
        String tier = m == KeyMetric.L1_HIT_RATE ? "l1" : "l2";
        return new Scenario(hits(BAD, tier, bad), hits(GOOD, tier, good), bad);
      }
      case COMBINED_HIT_RATE -> {
        bad = m.alert() / 2;
        good = (m.target() + 1) / 2;
        return new Scenario(combined(BAD, bad), combined(GOOD, good), bad);
      }
      case L1_MEMORY_UTILIZATION, POOL_UTILIZATION -> {
        bad = (m.alert() + 1) / 2;
        good = m.target() / 2;
        String meter = m == KeyMetric.POOL_UTILIZATION ? "chimera_pool_utilization" : null;
        if (meter == null) {
          return new Scenario(
              gauge("chimera_cache_l1_memory_utilization{cache=\"" + BAD + "\"}", bad),
              gauge("chimera_cache_l1_memory_utilization{cache=\"" + GOOD + "\"}", good),
              bad);
        }
        return new Scenario(
            gauge(meter + "{pool=\"" + BAD + "\",provider=\"p\"}", bad),
            gauge(meter + "{pool=\"" + GOOD + "\",provider=\"p\"}", good),
            bad);
      }
      case POOL_STALE_CONNECTIONS, WORKER_QUEUE_BACKLOG -> {
        bad = Math.ceil(m.alert() * 1.2);
        good = Math.floor(m.target() / 2);
        String meter =
            m == KeyMetric.WORKER_QUEUE_BACKLOG
                ? "chimera_worker_queue_backlog{pool=\"%s\"}"
                : "chimera_pool_connections_stale{pool=\"%s\",provider=\"p\"}";
        return new Scenario(
            gauge(String.format(meter, BAD), bad), gauge(String.format(meter, GOOD), good), bad);
      }
      case POOL_AVG_WAIT -> {
        bad = m.alert() * 2;
        good = m.target() / 2;
        String base =
            "chimera_pool_acquire_seconds_KIND{pool=\"GROUP\",provider=\"p\",outcome=\"success\"}";
        return new Scenario(timer(base, BAD, bad), timer(base, GOOD, good), bad);
      }
      case GRADIENT_DURATION -> {
        bad = m.alert() * 2;
        good = m.target() / 2;
        String base = "chimera_optimizer_gradient_duration_seconds_KIND{optimizer=\"GROUP\"}";
        return new Scenario(timer(base, BAD, bad), timer(base, GOOD, good), bad);
      }
      case POOL_FAILURE_RATE -> {
        bad = m.alert() * 5;
        String count = "chimera_pool_acquire_seconds_count{pool=\"GROUP\",provider=\"p\",outcome=";
        List<Series> breaching = new ArrayList<>();
        breaching.add(counter(count.replace("GROUP", BAD) + "\"success\"}", 1000 * (1 - bad)));
        breaching.add(counter(count.replace("GROUP", BAD) + "\"timeout\"}", 1000 * bad));
        return new Scenario(
            breaching, List.of(counter(count.replace("GROUP", GOOD) + "\"success\"}", 1000)), bad);
      }
      case COMPRESSION_RATIO -> {
        bad = m.alert() / 2;
        good = (m.target() + 1) / 2;
        return new Scenario(compression(BAD, bad), compression(GOOD, good), bad);
      }
      case BREAKER_TRIP_RATE -> {
        bad = m.alert() * 2;
        good = m.target() / 2;
        String trips = "chimera_breaker_trips_total{breaker=\"providers\",provider=\"p\"}";
        return new Scenario(
            List.of(counter(trips, bad * 60)), List.of(counter(trips, good * 60)), bad);
      }
      case GENERATE_P95, TRANSFORM_P95 -> {
        String api = m == KeyMetric.GENERATE_P95 ? "generate" : "transform";
        double[] bounds = {m.target() / 2, m.alert(), m.alert() * 2};
        // all requests in (alert, 2 alert]: p95 = alert + alert * 0.95
        return new Scenario(histogram(api, bounds, 2), histogram(api, bounds, 0), m.alert() * 1.95);
      }
      case THROUGHPUT -> {
        bad = m.alert() / 2;
        good = m.target() * 2;
        String count = "chimera_api_requests_seconds_count{api=\"health\",outcome=\"success\"}";
        return new Scenario(
            List.of(counter(count, bad * 60)), List.of(counter(count, good * 60)), bad);
      }
    }
    throw new IllegalStateException("no scenario for " + m);
  }

  private static Scenario slo(Slo slo) {
    return switch (slo) {
      case API_AVAILABILITY -> {
        double failing = Math.min(0.5, slo.errorBudget() * 100);
        yield new Scenario(errors(failing), errors(0), 1 - failing);
      }
      case ERROR_RATE -> {
        double failing = Math.min(0.5, slo.target() * 5);
        yield new Scenario(errors(failing), errors(0), failing);
      }
      case API_LATENCY_P95 -> {
        double[] bounds = {slo.target() / 2, slo.target(), slo.target() * 2};
        yield new Scenario(
            histogram("generate", bounds, 2),
            histogram("generate", bounds, 0),
            slo.target() * 1.95);
      }
      case CACHE_HIT_RATE -> {
        double low = slo.target() / 2;
        yield new Scenario(combined("", low), combined("", (slo.target() + 1) / 2), low);
      }
    };
  }

  private static List<Series> hits(String cache, String tier, double ratio) {
    int hits = (int) Math.round(ratio * 1000);
    String base = "chimera_cache_requests_total{cache=\"" + cache + "\",tier=\"" + tier + "\"";
    return List.of(
        counter(base + ",result=\"hit\"}", hits), counter(base + ",result=\"miss\"}", 1000 - hits));
  }

  private static List<Series> combined(String cache, double ratio) {
    int l1Hits = (int) Math.round(1000 * ratio * 2 / 3);
    int l2Hits = (int) Math.round(1000 * ratio) - l1Hits;
    int l1Misses = 1000 - l1Hits;
    String base = "chimera_cache_requests_total{cache=\"" + cache + "\",tier=\"";
    return List.of(
        counter(base + "l1\",result=\"hit\"}", l1Hits),
        counter(base + "l1\",result=\"miss\"}", l1Misses),
        counter(base + "l2\",result=\"hit\"}", l2Hits),
        counter(base + "l2\",result=\"miss\"}", l1Misses - l2Hits));
  }

  private static List<Series> gauge(String selector, double value) {
    return List.of(new Series(selector, AlertCatalog.number(value) + "+0x" + SAMPLES));
  }

  private static Series counter(String selector, double perMinute) {
    return new Series(selector, "0+" + AlertCatalog.number(perMinute) + "x" + SAMPLES);
  }

  /** A timer's _count and _sum; {@code template} has KIND and GROUP placeholders. */
  private static List<Series> timer(String template, String group, double meanSeconds) {
    String selector = template.replace("GROUP", group);
    return List.of(
        counter(selector.replace("KIND", "count"), 100),
        counter(selector.replace("KIND", "sum"), 100 * meanSeconds));
  }

  private static List<Series> compression(String algorithm, double saved) {
    String labels = "{algorithm=\"" + algorithm + "\"}";
    return List.of(
        counter("chimera_compression_bytes_in_total" + labels, 1000),
        counter("chimera_compression_bytes_out_total" + labels, 1000 * (1 - saved)));
  }

  private static List<Series> errors(double errorRatio) {
    String base = "chimera_api_requests_seconds_count{api=\"transform\",outcome=\"%s\"}";
    List<Series> out = new ArrayList<>();
    out.add(counter(String.format(base, "success"), 100_000 * (1 - errorRatio)));
    if (errorRatio > 0) {
      out.add(counter(String.format(base, "failure"), 100_000 * errorRatio));
    }
    return out;
  }

  /** 100 requests a minute, all in bucket {@code slot} (0 = first bound) of {@code bounds}. */
  private static List<Series> histogram(String api, double[] bounds, int slot) {
    String base =
        "chimera_api_requests_seconds_bucket{api=\"" + api + "\",outcome=\"success\",le=\"";
    List<Series> out = new ArrayList<>();
    for (int i = 0; i < bounds.length; i++) {
      out.add(counter(base + AlertCatalog.number(bounds[i]) + "\"}", i >= slot ? 100 : 0));
    }
    out.add(counter(base + "+Inf\"}", 100));
    out.add(
        counter(
            "chimera_api_requests_seconds_count{api=\"" + api + "\",outcome=\"success\"}", 100));
    return out;
  }
}
