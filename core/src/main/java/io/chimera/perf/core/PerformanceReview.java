package io.chimera.perf.core;

import io.chimera.perf.core.Perf008.Direction;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Status;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates every PERF-008 key metric against the meters of a registry: the value, its target and
 * alert threshold, and a status (OK, WARN, ALERT, NO_DATA). Where several caches, pools or
 * algorithms report one metric, the worst of them is the row's value and {@link Row#subject()} says
 * which one it was.
 *
 * <p>Windowed gauges (hit ratios, compression ratio, trip rate, throughput) are read as they are,
 * over their own windows. Timers (pool wait, failure ratio, gradient duration, SLA percentiles) are
 * read from the registry's cumulative counts and histograms (means and failure ratios also from
 * function timers, such as the pools' acquire timer), that is since the process started, where the
 * alert rules use 5-minute rates: a review of a long-running process shows the long-run figure, and
 * Prometheus shows the recent one.
 *
 * <pre>{@code
 * PerformanceReview.Report report = PerformanceReview.review(registry);
 * System.out.println(report.toText());
 * if (report.worst() == Perf008.Status.ALERT) page();
 * }</pre>
 */
public final class PerformanceReview {

  private PerformanceReview() {}

  /**
   * Reviews every key metric of {@link Perf008.KeyMetric} against {@code registry}.
   *
   * @param registry the registry to read
   * @return the report, one row per key metric in the guide's order
   */
  public static Report review(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    List<Row> rows = new ArrayList<>();
    for (KeyMetric metric : KeyMetric.values()) {
      rows.add(evaluate(registry, metric));
    }
    return new Report(rows);
  }

  static Row evaluate(MeterRegistry registry, KeyMetric metric) {
    Probe probe = metric.probe();
    Search search = registry.find(probe.meter());
    for (Map.Entry<String, String> tag : probe.tags().entrySet()) {
      search = search.tag(tag.getKey(), tag.getValue());
    }
    Map<String, Double> byGroup = new TreeMap<>();
    switch (probe.kind()) {
      case GAUGE, GAUGE_MAX -> {
        boolean max = probe.kind() == Probe.Kind.GAUGE_MAX;
        for (Map.Entry<String, List<Gauge>> g : group(search.gauges(), probe).entrySet()) {
          double acc = Double.NaN;
          for (Gauge gauge : g.getValue()) {
            double v = gauge.value();
            if (!Double.isNaN(v)) {
              acc = Double.isNaN(acc) ? v : max ? Math.max(acc, v) : acc + v;
            }
          }
          byGroup.put(g.getKey(), acc);
        }
      }
      case TIMER_MEAN -> {
        for (Map.Entry<String, List<Meter>> g : group(timed(search), probe).entrySet()) {
          double count = 0;
          double seconds = 0;
          for (Meter t : g.getValue()) {
            count += count(t);
            seconds += seconds(t);
          }
          byGroup.put(g.getKey(), count == 0 ? Double.NaN : seconds / count);
        }
      }
      case TIMER_QUANTILE -> {
        for (Map.Entry<String, List<Timer>> g : group(search.timers(), probe).entrySet()) {
          byGroup.put(g.getKey(), Histograms.quantileSeconds(g.getValue(), probe.quantile()));
        }
      }
      case FAILURE_RATIO -> {
        for (Map.Entry<String, List<Meter>> g : group(timed(search), probe).entrySet()) {
          double all = 0;
          double failed = 0;
          for (Meter t : g.getValue()) {
            all += count(t);
            if (!MetricNames.OUTCOME_SUCCESS.equals(t.getId().getTag(MetricNames.TAG_OUTCOME))) {
              failed += count(t);
            }
          }
          byGroup.put(g.getKey(), all == 0 ? Double.NaN : failed / all);
        }
      }
    }
    String subject = "";
    double worst = Double.NaN;
    boolean higherIsBetter = metric.direction() == Direction.HIGHER_IS_BETTER;
    for (Map.Entry<String, Double> e : byGroup.entrySet()) {
      double v = e.getValue();
      if (Double.isNaN(v)) {
        continue;
      }
      if (Double.isNaN(worst) || (higherIsBetter ? v < worst : v > worst)) {
        worst = v;
        subject = e.getKey();
      }
    }
    String label =
        subject.isEmpty() || probe.groupBy().isEmpty() ? "" : probe.groupBy() + "=" + subject;
    return new Row(metric, worst, metric.status(worst), label);
  }

  /** Timers and function timers (the pools' acquire timer is one) of a search. */
  private static List<Meter> timed(Search search) {
    List<Meter> all = new ArrayList<>(search.timers());
    all.addAll(search.functionTimers());
    return all;
  }

  private static double count(Meter m) {
    return m instanceof Timer t ? t.count() : ((FunctionTimer) m).count();
  }

  private static double seconds(Meter m) {
    return m instanceof Timer t
        ? t.totalTime(TimeUnit.SECONDS)
        : ((FunctionTimer) m).totalTime(TimeUnit.SECONDS);
  }

  private static <M extends io.micrometer.core.instrument.Meter> Map<String, List<M>> group(
      Collection<M> meters, Probe probe) {
    Map<String, List<M>> groups = new TreeMap<>();
    for (M m : meters) {
      String key = probe.groupBy().isEmpty() ? "" : m.getId().getTag(probe.groupBy());
      groups.computeIfAbsent(key == null ? "" : key, k -> new ArrayList<>()).add(m);
    }
    return groups;
  }

  /**
   * One key metric's result.
   *
   * @param metric the PERF-008 row
   * @param value the measured value in the row's unit, NaN when there is no data
   * @param status the status against target and alert threshold
   * @param subject which cache, pool or algorithm gave the value (for example {@code pool=main}),
   *     or empty
   */
  public record Row(KeyMetric metric, double value, Status status, String subject) {

    /**
     * Returns the measured value formatted in the row's unit, {@code -} without data.
     *
     * @return the value as text
     */
    public String valueText() {
      return Perf008.format(metric.unit(), value);
    }
  }

  /**
   * The result of a review: one row per key metric.
   *
   * @param rows the rows in the guide's order
   */
  public record Report(List<Row> rows) {

    /**
     * Copies the rows.
     *
     * @param rows the rows
     */
    public Report {
      rows = List.copyOf(rows);
    }

    /**
     * Returns the row of one key metric.
     *
     * @param metric the key metric
     * @return its row
     * @throws IllegalArgumentException if the report has no row for it
     */
    public Row row(KeyMetric metric) {
      for (Row row : rows) {
        if (row.metric() == metric) {
          return row;
        }
      }
      throw new IllegalArgumentException("no row for " + metric);
    }

    /**
     * Returns the worst status among rows with data (ALERT over WARN over OK), or NO_DATA when no
     * row has data.
     *
     * @return the worst status
     */
    public Status worst() {
      Status worst = Status.NO_DATA;
      for (Row row : rows) {
        Status s = row.status();
        if (s == Status.ALERT
            || (s == Status.WARN && worst != Status.ALERT)
            || (s == Status.OK && worst == Status.NO_DATA)) {
          worst = s;
        }
      }
      return worst;
    }

    /**
     * Renders an aligned plain-text table.
     *
     * @return the table
     */
    public String toText() {
      return ReportFormat.text(this);
    }

    /**
     * Renders a Markdown table.
     *
     * @return the table
     */
    public String toMarkdown() {
      return ReportFormat.markdown(this);
    }

    /**
     * Renders JSON: {@code {"worst": ..., "rows": [{"category", "metric", "value", "target",
     * "alert", "unit", "status", "subject"}]}}, with {@code null} for a missing value.
     *
     * @return the JSON document
     */
    public String toJson() {
      return ReportFormat.json(this);
    }
  }
}
