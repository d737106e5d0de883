package io.chimera.perf.core;

import io.chimera.perf.core.Perf008.Category;
import io.chimera.perf.core.Perf008.Dashboard;
import io.chimera.perf.core.Perf008.Direction;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.LoadProfile;
import io.chimera.perf.core.Perf008.Operation;
import io.chimera.perf.core.Perf008.Slo;
import io.chimera.perf.core.Perf008.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three Grafana dashboards PERF-008 links to, as JSON, built from {@link Perf008}: a {@code
 * ${datasource}} variable, {@code $__rate_interval} in every rate, targets and alert thresholds
 * drawn as panel thresholds, rows by category, a pinned schema version.
 */
final class Dashboards {

  /** The Grafana dashboard schema the JSON is written for. */
  static final int SCHEMA_VERSION = 39;

  private static final Map<String, Object> DATASOURCE =
      map("type", "prometheus", "uid", "${datasource}");

  private Dashboards() {}

  /** Grafana substitutes {@code $__rate_interval}; the guide's queries use 5m. */
  static String rateInterval(String promQl) {
    return promQl.replace("[5m]", "[$__rate_interval]");
  }

  static String json(Dashboard dashboard) {
    Layout layout = new Layout();
    switch (dashboard) {
      case PERFORMANCE_OPTIMIZATION -> optimization(layout);
      case PERFORMANCE_BASELINE -> baseline(layout);
      case TECHNICAL_OPERATIONS -> technical(layout);
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("uid", dashboard.uid());
    d.put("title", "Chimera " + dashboard.title());
    d.put("description", "Generated from PERF-008 by chimera-perf; do not edit by hand.");
    d.put("tags", List.of("chimera", "perf-008"));
    d.put("schemaVersion", SCHEMA_VERSION);
    d.put("version", 1);
    d.put("editable", false);
    d.put("graphTooltip", 1);
    d.put("timezone", "browser");
    d.put("time", map("from", "now-6h", "to", "now"));
    d.put("refresh", "30s");
    Map<String, Object> variable = new LinkedHashMap<>();
    variable.put("name", "datasource");
    variable.put("label", "Data source");
    variable.put("type", "datasource");
    variable.put("query", "prometheus");
    variable.put("current", map());
    variable.put("hide", 0);
    variable.put("refresh", 1);
    variable.put("regex", "");
    variable.put("options", List.of());
    d.put("templating", map("list", List.of(variable)));
    List<Object> links = new ArrayList<>();
    for (Dashboard other : Dashboard.values()) {
      if (other != dashboard) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("title", "Chimera " + other.title());
        link.put("type", "link");
        link.put("url", "/d/" + other.uid());
        links.add(link);
      }
    }
    d.put("links", links);
    d.put("panels", layout.panels);
    return Json.pretty(d);
  }

  private static void optimization(Layout layout) {
    Category current = null;
    for (KeyMetric m : KeyMetric.values()) {
      if (m.category() != current) {
        current = m.category();
        layout.row(current.title());
      }
      String legend =
          m.probe().groupBy().isEmpty() ? m.metric() : "{{" + m.probe().groupBy() + "}}";
      layout.panel(
          m.metric(),
          "PERF-008 "
              + m.category().title()
              + ": target "
              + m.targetText()
              + ", alert "
              + m.alertText()
              + ".",
          m.unit(),
          thresholds(m.direction(), m.target(), m.alert()),
          target(m.promQl(), legend));
    }
  }

  private static void baseline(Layout layout) {
    layout.row("Performance Test Thresholds");
    for (Operation op : Operation.values()) {
      String sel = "{api=\"" + op.api().tag() + "\"}";
      String bucket = "sum by (le) (rate(chimera_api_requests_seconds_bucket" + sel + "[5m]))";
      layout.panel(
          op.title() + " latency",
          "P50 "
              + ms(op.p50())
              + ", P95 "
              + ms(op.p95())
              + ", P99 "
              + ms(op.p99())
              + " (PERF-008 test thresholds); yellow from the P95 limit, red from the P99 limit.",
          Unit.SECONDS,
          thresholds(
              Direction.LOWER_IS_BETTER,
              op.p95().toMillis() / 1000.0,
              op.p99().toMillis() / 1000.0),
          target("histogram_quantile(0.5, " + bucket + ")", "P50"),
          target("histogram_quantile(0.95, " + bucket + ")", "P95"),
          target("histogram_quantile(0.99, " + bucket + ")", "P99"));
      String count = "rate(chimera_api_requests_seconds_count" + sel + "[5m])";
      if (op.minRps().isPresent()) {
        double min = op.minRps().getAsInt();
        layout.panel(
            op.title() + " throughput",
            "PERF-008 minimum: " + op.minRps().getAsInt() + " requests per second.",
            Unit.PER_SECOND,
            thresholds(Direction.HIGHER_IS_BETTER, min, min),
            target("sum(" + count + ")", "RPS"));
      }
      if (op.maxErrorRate().isPresent()) {
        double max = op.maxErrorRate().getAsDouble();
        String failed =
            "rate(chimera_api_requests_seconds_count{api=\""
                + op.api().tag()
                + "\",outcome!=\"success\"}[5m])";
        layout.panel(
            op.title() + " error rate",
            "PERF-008 maximum error rate: " + Perf008.format(Unit.RATIO, max) + ".",
            Unit.RATIO,
            thresholds(Direction.LOWER_IS_BETTER, max, max),
            target(
                "(sum(" + failed + ") or sum(" + count + ") * 0) / sum(" + count + ")", "errors"));
      }
    }
    layout.row("Service Level Objectives");
    for (Slo slo : Slo.values()) {
      layout.panel(
          slo.title(),
          "PERF-008 SLO "
              + slo.title()
              + ": "
              + Perf008.format(slo.unit(), slo.target())
              + ", measured by "
              + slo.measurement()
              + ".",
          slo.unit(),
          thresholds(slo.direction(), slo.target(), slo.target()),
          target(slo.promQl(), slo.title()));
    }
    layout.row("Load Test Configurations");
    StringBuilder md =
        new StringBuilder(
            "| Test Type | Users | Spawn Rate | Duration | Purpose |\n|---|---|---|---|---|\n");
    for (LoadProfile p : LoadProfile.values()) {
      md.append("| ")
          .append(p.name().charAt(0))
          .append(p.name().substring(1).toLowerCase(java.util.Locale.ROOT));
      md.append(" | ")
          .append(p.users())
          .append(" | ")
          .append(p.spawnRatePerSecond())
          .append("/sec | ");
      md.append(p.duration().toMinutes()).append(" min | ").append(p.purpose()).append(" |\n");
    }
    layout.text("Load profiles (chimera-bench load)", md.toString());
  }

  private static void technical(Layout layout) {
    layout.row("Cache");
    layout.panel(
        "Cache health",
        "1 healthy, 0.5 degraded (Redis unreachable), 0 down.",
        Unit.COUNT,
        thresholds(Direction.HIGHER_IS_BETTER, 0.75, 0.25),
        target("min by (cache) (chimera_cache_health)", "{{cache}}"));
    layout.panel(
        "Cache requests",
        "Requests per second by tier and result.",
        Unit.PER_SECOND,
        null,
        target(
            "sum by (cache, tier, result) (rate(chimera_cache_requests_total[5m]))",
            "{{cache}} {{tier}} {{result}}"));
    layout.panel(
        "Cache evictions",
        "Evictions per second by cause; a rising size cause with a "
            + "high thrash ratio means L1 is too small.",
        Unit.PER_SECOND,
        null,
        target(
            "sum by (cache, tier, cause) (rate(chimera_cache_evictions_total[5m]))",
            "{{cache}} {{tier}} {{cause}}"),
        target("max by (cache) (chimera_cache_l1_thrash_ratio)", "{{cache}} thrash ratio"));
    layout.panel(
        "Redis (L2) latency P99",
        "By operation and outcome.",
        Unit.SECONDS,
        null,
        target(
            "histogram_quantile(0.99, sum by (le, op) "
                + "(rate(chimera_cache_l2_operations_seconds_bucket[5m])))",
            "{{op}}"));
    layout.row("Connection pools");
    layout.panel(
        "Connections by state",
        "Active, idle and pending per pool.",
        Unit.COUNT,
        null,
        target("sum by (pool, state) (chimera_pool_connections)", "{{pool}} {{state}}"),
        target("sum by (pool) (chimera_pool_connections_max)", "{{pool}} max"));
    layout.panel(
        "Acquires by outcome",
        "Per second, per pool.",
        Unit.PER_SECOND,
        null,
        target(
            "sum by (pool, outcome) (rate(chimera_pool_acquire_seconds_count[5m]))",
            "{{pool}} {{outcome}}"));
    layout.panel(
        "Acquire wait",
        "Time callers wait for a connection: the mean, and the P95 of pools built with"
            + " acquireHistogram(true).",
        Unit.SECONDS,
        thresholds(
            Direction.LOWER_IS_BETTER,
            KeyMetric.POOL_AVG_WAIT.target(),
            KeyMetric.POOL_AVG_WAIT.alert()),
        target(KeyMetric.POOL_AVG_WAIT.promQl(), "{{pool}} mean"),
        target(
            "histogram_quantile(0.95, sum by (le, pool) "
                + "(rate(chimera_pool_acquire_seconds_bucket[5m])))",
            "{{pool}} P95"));
    layout.panel(
        "Connections retired",
        "Per second by reason.",
        Unit.PER_SECOND,
        null,
        target(
            "sum by (pool, reason) (rate(chimera_pool_evictions_total[5m]))",
            "{{pool}} {{reason}}"));
    layout.row("Circuit breakers");
    layout.panel(
        "Breaker state",
        "1 for the current state of each provider's breaker.",
        Unit.COUNT,
        null,
        target("max by (provider, state) (chimera_breaker_state) > 0", "{{provider}} {{state}}"));
    layout.panel(
        "Trips and recoveries",
        "Per second.",
        Unit.PER_SECOND,
        thresholds(
            Direction.LOWER_IS_BETTER,
            KeyMetric.BREAKER_TRIP_RATE.target(),
            KeyMetric.BREAKER_TRIP_RATE.alert()),
        target("sum by (provider) (rate(chimera_breaker_trips_total[5m]))", "{{provider}} trips"),
        target(
            "sum by (provider) (rate(chimera_breaker_recoveries_total[5m]))",
            "{{provider}} recoveries"));
    layout.panel(
        "Calls by outcome",
        "Per second.",
        Unit.PER_SECOND,
        null,
        target(
            "sum by (provider, outcome) (rate(chimera_breaker_calls_seconds_count[5m]))",
            "{{provider}} {{outcome}}"));
    layout.row("Workers and compression");
    layout.panel(
        "Worker pool",
        "Backlog, running tasks and rejections.",
        Unit.COUNT,
        thresholds(
            Direction.LOWER_IS_BETTER,
            KeyMetric.WORKER_QUEUE_BACKLOG.target(),
            KeyMetric.WORKER_QUEUE_BACKLOG.alert()),
        target("max by (pool) (chimera_worker_queue_backlog)", "{{pool}} backlog"),
        target("max by (pool) (chimera_worker_active)", "{{pool}} active"),
        target("sum by (pool) (increase(chimera_worker_rejected_total[5m]))", "{{pool}} rejected"));
    layout.panel(
        "Queue wait",
        "Time tasks wait before a worker takes them: the mean, and the P95 of pools built with"
            + " queueWaitHistogram(true).",
        Unit.SECONDS,
        null,
        target(
            "sum by (pool) (rate(chimera_worker_queue_wait_seconds_sum[5m]))"
                + " / sum by (pool) (rate(chimera_worker_queue_wait_seconds_count[5m]))",
            "{{pool}} mean"),
        target(
            "histogram_quantile(0.95, sum by (le, pool) "
                + "(rate(chimera_worker_queue_wait_seconds_bucket[5m])))",
            "{{pool}} P95"));
    layout.panel(
        "Compression",
        "Bytes per second in and out, skipped bodies and size anomalies.",
        Unit.PER_SECOND,
        null,
        target(
            "sum by (algorithm) (rate(chimera_compression_bytes_in_total[5m]))",
            "{{algorithm}} in"),
        target(
            "sum by (algorithm) (rate(chimera_compression_bytes_out_total[5m]))",
            "{{algorithm}} out"),
        target(
            "sum by (reason) (rate(chimera_compression_skipped_total[5m]))", "skipped {{reason}}"),
        target("sum (rate(chimera_compression_size_anomalies_total[5m]))", "anomalies"));
  }

  /** An insertion-ordered map, so the JSON is the same on every run (Map.of order is not). */
  static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static String ms(java.time.Duration d) {
    return d.toMillis() + "ms";
  }

  private static Map<String, Object> target(String promQl, String legend) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("datasource", DATASOURCE);
    t.put("expr", rateInterval(promQl));
    t.put("legendFormat", legend);
    return t;
  }

  private static List<Object> thresholds(Direction direction, double target, double alert) {
    List<Object> steps = new ArrayList<>();
    if (direction == Direction.HIGHER_IS_BETTER) {
      steps.add(step("red", null));
      steps.add(step("yellow", alert));
      steps.add(step("green", target));
    } else {
      steps.add(step("green", null));
      steps.add(step("yellow", target));
      steps.add(step("red", alert));
    }
    return steps;
  }

  private static Map<String, Object> step(String color, Double value) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("color", color);
    s.put("value", value);
    return s;
  }

  static String grafanaUnit(Unit unit) {
    return switch (unit) {
      case RATIO -> "percentunit";
      case SECONDS -> "s";
      case PER_SECOND -> "reqps";
      case COUNT -> "short";
    };
  }

  /** Places panels three to a row on Grafana's 24-column grid. */
  private static final class Layout {
    final List<Object> panels = new ArrayList<>();
    int nextId = 1;
    int y = 0;
    int x = 0;

    void row(String title) {
      if (x > 0) {
        y += 8;
        x = 0;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", nextId++);
      row.put("type", "row");
      row.put("title", title);
      row.put("collapsed", false);
      row.put("gridPos", grid(24, 1));
      row.put("panels", List.of());
      panels.add(row);
      y += 1;
    }

    @SafeVarargs
    final void panel(
        String title,
        String description,
        Unit unit,
        List<Object> thresholds,
        Map<String, Object>... targets) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", nextId++);
      p.put("type", "timeseries");
      p.put("title", title);
      p.put("description", description);
      p.put("datasource", DATASOURCE);
      p.put("gridPos", grid(8, 8));
      List<Object> t = new ArrayList<>();
      char ref = 'A';
      for (Map<String, Object> target : targets) {
        Map<String, Object> withRef = new LinkedHashMap<>(target);
        withRef.put("refId", String.valueOf(ref++));
        t.add(withRef);
      }
      p.put("targets", t);
      Map<String, Object> defaults = new LinkedHashMap<>();
      defaults.put("unit", grafanaUnit(unit));
      Map<String, Object> custom = new LinkedHashMap<>();
      if (thresholds != null) {
        defaults.put("thresholds", map("mode", "absolute", "steps", thresholds));
        custom.put("thresholdsStyle", map("mode", "line+area"));
      }
      defaults.put("custom", custom);
      p.put("fieldConfig", map("defaults", defaults, "overrides", List.of()));
      p.put(
          "options",
          map(
              "legend", map("displayMode", "list", "placement", "bottom", "showLegend", true),
              "tooltip", map("mode", "multi", "sort", "none")));
      panels.add(p);
      advance();
    }

    void text(String title, String markdown) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", nextId++);
      p.put("type", "text");
      p.put("title", title);
      p.put("gridPos", grid(16, 8));
      p.put("options", map("mode", "markdown", "content", markdown));
      panels.add(p);
      x += 8;
      advance();
    }

    private Map<String, Object> grid(int w, int h) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("h", h);
      g.put("w", w);
      g.put("x", x);
      g.put("y", y);
      return g;
    }

    private void advance() {
      x += 8;
      if (x >= 24) {
        x = 0;
        y += 8;
      }
    }
  }
}
