package io.chimera.perf.core;

import static io.chimera.perf.core.MetricNames.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The PERF-008 performance guide as typed data: every row of its tables. Every target, alert
 * threshold, latency limit and load profile used anywhere in chimera-perf is read from here, so a
 * threshold changes in one place.
 *
 * <pre>{@code
 * double target = Perf008.KeyMetric.L1_HIT_RATE.target();       // 0.70
 * Duration p95 = Perf008.Operation.TRANSFORM_PROMPT.p95();        // 1000 ms
 * Perf008.Status s = Perf008.KeyMetric.POOL_AVG_WAIT.status(0.07); // WARN
 * }</pre>
 */
public final class Perf008 {

  private Perf008() {}

  /** Whether a larger value is better or worse. */
  public enum Direction {
    /** Target and alert are lower bounds (hit rates, throughput). */
    HIGHER_IS_BETTER,
    /** Target and alert are upper bounds (latency, utilization, backlog). */
    LOWER_IS_BETTER
  }

  /** Unit of a value. */
  public enum Unit {
    /** A fraction 0..1, printed as a percentage. */
    RATIO,
    /** Seconds, printed in ms or s. */
    SECONDS,
    /** A plain count. */
    COUNT,
    /** Events per second. */
    PER_SECOND
  }

  /** The status of a measured value against a row's target and alert threshold. */
  public enum Status {
    /** Meets the target. */
    OK,
    /** Between target and alert threshold. */
    WARN,
    /** Past the alert threshold. */
    ALERT,
    /** Nothing to measure: the meter is absent or has seen no events. */
    NO_DATA
  }

  /** The categories of the key-metrics table, in the guide's order. */
  public enum Category {
    CACHE("Cache"),
    CONNECTION_POOL("Connection Pool"),
    OPTIMIZER("Optimizer"),
    WORKER_POOL("Worker Pool"),
    COMPRESSION("Compression"),
    CIRCUIT_BREAKER("Circuit Breaker"),
    SLA("SLA");

    private final String title;

    Category(String title) {
      this.title = title;
    }

    /**
     * Returns the category as the guide spells it.
     *
     * @return the title
     */
    public String title() {
      return title;
    }
  }

  private static final String L1_HITS =
      "sum by (cache) (rate(chimera_cache_requests_total{tier=\"l1\",result=\"hit\"}[5m]))";
  private static final String L2_HITS =
      "sum by (cache) (rate(chimera_cache_requests_total{tier=\"l2\",result=\"hit\"}[5m]))";
  private static final String L1_ALL =
      "sum by (cache) (rate(chimera_cache_requests_total{tier=\"l1\"}[5m]))";
  private static final String ACQUIRES = "rate(chimera_pool_acquire_seconds_count[5m])";
  private static final String API_COUNT = "rate(chimera_api_requests_seconds_count[5m])";

  /** The "Key Metrics to Monitor" table, one constant per row, in the guide's order. */
  @SuppressWarnings("ImmutableEnumChecker") // Probe is a record of immutable values
  public enum KeyMetric {
    L1_HIT_RATE(
        Category.CACHE,
        "L1 Hit Rate",
        0.70,
        0.50,
        Direction.HIGHER_IS_BETTER,
        Unit.RATIO,
        Probe.gauge(CACHE_HIT_RATIO, TAG_CACHE, TAG_TIER, TIER_L1),
        L1_HITS + " / " + L1_ALL),
    L2_HIT_RATE(
        Category.CACHE,
        "L2 Hit Rate",
        0.80,
        0.50,
        Direction.HIGHER_IS_BETTER,
        Unit.RATIO,
        Probe.gauge(CACHE_HIT_RATIO, TAG_CACHE, TAG_TIER, TIER_L2),
        L2_HITS + " / sum by (cache) (rate(chimera_cache_requests_total{tier=\"l2\"}[5m]))"),
    COMBINED_HIT_RATE(
        Category.CACHE,
        "Combined Hit Rate",
        0.85,
        0.30,
        Direction.HIGHER_IS_BETTER,
        Unit.RATIO,
        Probe.gauge(CACHE_HIT_RATIO, TAG_CACHE, TAG_TIER, TIER_COMBINED),
        "(" + L1_HITS + " + (" + L2_HITS + " or " + L1_HITS + " * 0)) / " + L1_ALL),
    L1_MEMORY_UTILIZATION(
        Category.CACHE,
        "L1 Memory Utilization",
        0.70,
        0.90,
        Direction.LOWER_IS_BETTER,
        Unit.RATIO,
        Probe.gaugeMax(CACHE_L1_MEMORY_UTILIZATION, TAG_CACHE),
        "max by (cache) (chimera_cache_l1_memory_utilization)"),
    POOL_UTILIZATION(
        Category.CONNECTION_POOL,
        "Utilization",
        0.70,
        0.90,
        Direction.LOWER_IS_BETTER,
        Unit.RATIO,
        Probe.gaugeMax(MetricNames.POOL_UTILIZATION, TAG_POOL),
        "max by (pool) (chimera_pool_utilization)"),
    POOL_AVG_WAIT(
        Category.CONNECTION_POOL,
        "Avg Wait Time",
        0.050,
        0.100,
        Direction.LOWER_IS_BETTER,
        Unit.SECONDS,
        Probe.timerMean(POOL_ACQUIRE, TAG_POOL),
        "sum by (pool) (rate(chimera_pool_acquire_seconds_sum[5m])) / sum by (pool) ("
            + ACQUIRES
            + ")"),
    POOL_STALE_CONNECTIONS(
        Category.CONNECTION_POOL,
        "Stale Connections",
        5,
        10,
        Direction.LOWER_IS_BETTER,
        Unit.COUNT,
        Probe.gauge(POOL_CONNECTIONS_STALE, TAG_POOL),
        "sum by (pool) (chimera_pool_connections_stale)"),
    POOL_FAILURE_RATE(
        Category.CONNECTION_POOL,
        "Failure Rate",
        0.01,
        0.01,
        Direction.LOWER_IS_BETTER,
        Unit.RATIO,
        Probe.failureRatio(POOL_ACQUIRE, TAG_POOL),
        "(sum by (pool) (rate(chimera_pool_acquire_seconds_count{outcome!=\"success\"}[5m]))"
            + " or sum by (pool) ("
            + ACQUIRES
            + ") * 0) / sum by (pool) ("
            + ACQUIRES
            + ")"),
    GRADIENT_DURATION(
        Category.OPTIMIZER,
        "Gradient Duration",
        0.300,
        0.500,
        Direction.LOWER_IS_BETTER,
        Unit.SECONDS,
        Probe.timerMean(OPTIMIZER_GRADIENT_DURATION, TAG_OPTIMIZER),
        "sum by (optimizer) (rate(chimera_optimizer_gradient_duration_seconds_sum[5m]))"
            + " / sum by (optimizer) (rate(chimera_optimizer_gradient_duration_seconds_count[5m]))"),
    WORKER_QUEUE_BACKLOG(
        Category.WORKER_POOL,
        "Queue Backlog",
        50,
        100,
        Direction.LOWER_IS_BETTER,
        Unit.COUNT,
        Probe.gaugeMax(MetricNames.WORKER_QUEUE_BACKLOG, TAG_POOL),
        "max by (pool) (chimera_worker_queue_backlog)"),
    COMPRESSION_RATIO(
        Category.COMPRESSION,
        "Compression Ratio",
        0.50,
        0.50,
        Direction.HIGHER_IS_BETTER,
        Unit.RATIO,
        Probe.gauge(MetricNames.COMPRESSION_RATIO, TAG_ALGORITHM),
        "1 - sum by (algorithm) (rate(chimera_compression_bytes_out_total[5m]))"
            + " / sum by (algorithm) (rate(chimera_compression_bytes_in_total[5m]))"),
    BREAKER_TRIP_RATE(
        Category.CIRCUIT_BREAKER,
        "Trip Rate",
        0.05,
        0.1,
        Direction.LOWER_IS_BETTER,
        Unit.PER_SECOND,
        Probe.gauge(MetricNames.BREAKER_TRIP_RATE, ""),
        "sum(rate(chimera_breaker_trips_total[5m]))"),
    GENERATE_P95(
        Category.SLA,
        "Generate API P95",
        7,
        10,
        Direction.LOWER_IS_BETTER,
        Unit.SECONDS,
        Probe.timerQuantile(API_REQUESTS, 0.95, TAG_API, Api.GENERATE.tag()),
        p95Query(Api.GENERATE)),
    TRANSFORM_P95(
        Category.SLA,
        "Transform API P95",
        1.5,
        2,
        Direction.LOWER_IS_BETTER,
        Unit.SECONDS,
        Probe.timerQuantile(API_REQUESTS, 0.95, TAG_API, Api.TRANSFORM.tag()),
        p95Query(Api.TRANSFORM)),
    THROUGHPUT(
        Category.SLA,
        "Throughput",
        10,
        10,
        Direction.HIGHER_IS_BETTER,
        Unit.PER_SECOND,
        Probe.gauge(API_THROUGHPUT, ""),
        "sum(" + API_COUNT + ")");

    private final Category category;
    private final String metric;
    private final double target;
    private final double alert;
    private final Direction direction;
    private final Unit unit;
    private final Probe probe;
    private final String promQl;

    KeyMetric(
        Category category,
        String metric,
        double target,
        double alert,
        Direction direction,
        Unit unit,
        Probe probe,
        String promQl) {
      this.category = category;
      this.metric = metric;
      this.target = target;
      this.alert = alert;
      this.direction = direction;
      this.unit = unit;
      this.probe = probe;
      this.promQl = promQl;
    }

    /**
     * Returns the table category.
     *
     * @return the category
     */
    public Category category() {
      return category;
    }

    /**
     * Returns the metric as the guide names it, for example "L1 Hit Rate".
     *
     * @return the metric name
     */
    public String metric() {
      return metric;
    }

    /**
     * Returns the target, in {@link #unit()}: the value to beat.
     *
     * @return the target
     */
    public double target() {
      return target;
    }

    /**
     * Returns the alert threshold, in {@link #unit()}: past it the row is ALERT.
     *
     * @return the alert threshold
     */
    public double alert() {
      return alert;
    }

    /**
     * Returns whether larger values are better.
     *
     * @return the direction
     */
    public Direction direction() {
      return direction;
    }

    /**
     * Returns the unit of target, alert and measured values.
     *
     * @return the unit
     */
    public Unit unit() {
      return unit;
    }

    /**
     * Returns how the value is read from in-process meters.
     *
     * @return the probe
     */
    public Probe probe() {
      return probe;
    }

    /**
     * Returns the PromQL that computes the value from scraped series.
     *
     * @return a PromQL expression
     */
    public String promQl() {
      return promQl;
    }

    /**
     * Returns the guide's wording of the target, for example {@code ">70%"}.
     *
     * @return the target as text
     */
    public String targetText() {
      return (direction == Direction.HIGHER_IS_BETTER ? ">" : "<") + format(unit, target);
    }

    /**
     * Returns the guide's wording of the alert threshold, for example {@code "<50%"}.
     *
     * @return the alert threshold as text
     */
    public String alertText() {
      return (direction == Direction.HIGHER_IS_BETTER ? "<" : ">") + format(unit, alert);
    }

    /**
     * Classifies a measured value: OK when it beats the target strictly, ALERT when it is past the
     * alert threshold strictly, WARN in between, NO_DATA for NaN.
     *
     * @param value the measured value in {@link #unit()}
     * @return the status
     */
    public Status status(double value) {
      return classify(direction, target, alert, value);
    }
  }

  /** The APIs the SLA tracker measures, as tag values of {@code chimera.api.requests}. */
  public enum Api {
    GENERATE("generate"),
    TRANSFORM("transform"),
    HEALTH("health"),
    PROVIDERS("providers");

    private final String tag;

    Api(String tag) {
      this.tag = tag;
    }

    /**
     * Returns the value of the {@code api} tag.
     *
     * @return the tag value
     */
    public String tag() {
      return tag;
    }
  }

  /** The "Performance SLO" table. */
  public enum Slo {
    API_AVAILABILITY(
        "API Availability",
        0.999,
        Direction.HIGHER_IS_BETTER,
        Unit.RATIO,
        "Uptime monitoring",
        "sum(rate(chimera_api_requests_seconds_count{outcome=\"success\"}[5m])) / sum("
            + API_COUNT
            + ")"),
    API_LATENCY_P95(
        "API Latency (P95)",
        5,
        Direction.LOWER_IS_BETTER,
        Unit.SECONDS,
        "Prometheus histograms",
        "histogram_quantile(0.95, sum by (le) (rate(chimera_api_requests_seconds_bucket[5m])))"),
    ERROR_RATE(
        "Error Rate",
        0.01,
        Direction.LOWER_IS_BETTER,
        Unit.RATIO,
        "HTTP 5xx rate",
        "(sum(rate(chimera_api_requests_seconds_count{outcome!=\"success\"}[5m])) or sum("
            + API_COUNT
            + ") * 0) / sum("
            + API_COUNT
            + ")"),
    CACHE_HIT_RATE(
        "Cache Hit Rate",
        0.70,
        Direction.HIGHER_IS_BETTER,
        Unit.RATIO,
        "Cache metrics",
        KeyMetric.COMBINED_HIT_RATE.promQl());

    private final String name;
    private final double target;
    private final Direction direction;
    private final Unit unit;
    private final String measurement;
    private final String promQl;

    Slo(
        String name,
        double target,
        Direction direction,
        Unit unit,
        String measurement,
        String promQl) {
      this.name = name;
      this.target = target;
      this.direction = direction;
      this.unit = unit;
      this.measurement = measurement;
      this.promQl = promQl;
    }

    /**
     * Returns the SLO as the guide names it.
     *
     * @return the name
     */
    public String title() {
      return name;
    }

    /**
     * Returns the objective, in {@link #unit()}.
     *
     * @return the target
     */
    public double target() {
      return target;
    }

    /**
     * Returns whether larger values are better.
     *
     * @return the direction
     */
    public Direction direction() {
      return direction;
    }

    /**
     * Returns the unit of the target.
     *
     * @return the unit
     */
    public Unit unit() {
      return unit;
    }

    /**
     * Returns the guide's measurement column.
     *
     * @return how the SLO is measured
     */
    public String measurement() {
      return measurement;
    }

    /**
     * Returns the PromQL that measures the SLO from scraped series.
     *
     * @return a PromQL expression
     */
    public String promQl() {
      return promQl;
    }

    /**
     * Returns the error budget for ratio SLOs: {@code 1 - target} for availability, the target
     * itself for an error rate; NaN for latency objectives.
     *
     * @return the error budget
     */
    public double errorBudget() {
      if (unit != Unit.RATIO) {
        return Double.NaN;
      }
      return direction == Direction.HIGHER_IS_BETTER ? 1 - target : target;
    }
  }

  /** The "Performance Test Thresholds" table, one constant per operation. */
  public enum Operation {
    HEALTH_CHECK(
        "Health Check", Api.HEALTH, 50, 100, 200, OptionalInt.of(100), OptionalDouble.empty()),
    LIST_PROVIDERS(
        "List Providers", Api.PROVIDERS, 100, 200, 500, OptionalInt.of(50), OptionalDouble.empty()),
    TRANSFORM_PROMPT(
        "Transform Prompt",
        Api.TRANSFORM,
        500,
        1000,
        2000,
        OptionalInt.empty(),
        OptionalDouble.of(0.02));

    private final String title;
    private final Api api;
    private final Duration p50;
    private final Duration p95;
    private final Duration p99;
    private final OptionalInt minRps;
    private final OptionalDouble maxErrorRate;

    Operation(
        String title,
        Api api,
        long p50Millis,
        long p95Millis,
        long p99Millis,
        OptionalInt minRps,
        OptionalDouble maxErrorRate) {
      this.title = title;
      this.api = api;
      this.p50 = Duration.ofMillis(p50Millis);
      this.p95 = Duration.ofMillis(p95Millis);
      this.p99 = Duration.ofMillis(p99Millis);
      this.minRps = minRps;
      this.maxErrorRate = maxErrorRate;
    }

    /**
     * Returns the operation as the guide names it.
     *
     * @return the title
     */
    public String title() {
      return title;
    }

    /**
     * Returns the API whose timer measures this operation.
     *
     * @return the API
     */
    public Api api() {
      return api;
    }

    /**
     * Returns the P50 limit.
     *
     * @return the limit
     */
    public Duration p50() {
      return p50;
    }

    /**
     * Returns the P95 limit.
     *
     * @return the limit
     */
    public Duration p95() {
      return p95;
    }

    /**
     * Returns the P99 limit.
     *
     * @return the limit
     */
    public Duration p99() {
      return p99;
    }

    /**
     * Returns the minimum requests per second, where the guide gives one.
     *
     * @return the minimum throughput
     */
    public OptionalInt minRps() {
      return minRps;
    }

    /**
     * Returns the maximum error rate (0..1), where the guide gives one.
     *
     * @return the maximum error rate
     */
    public OptionalDouble maxErrorRate() {
      return maxErrorRate;
    }
  }

  /** The "Load Test Configurations" table. */
  public enum LoadProfile {
    SMOKE(10, 2, Duration.ofMinutes(1), "Quick validation"),
    LOAD(100, 10, Duration.ofMinutes(5), "Normal capacity"),
    STRESS(1000, 50, Duration.ofMinutes(10), "Breakpoint testing"),
    SOAK(50, 5, Duration.ofHours(1), "Memory leak detection");

    private final int users;
    private final int spawnRatePerSecond;
    private final Duration duration;
    private final String purpose;

    LoadProfile(int users, int spawnRatePerSecond, Duration duration, String purpose) {
      this.users = users;
      this.spawnRatePerSecond = spawnRatePerSecond;
      this.duration = duration;
      this.purpose = purpose;
    }

    /**
     * Returns the number of concurrent simulated users.
     *
     * @return the users
     */
    public int users() {
      return users;
    }

    /**
     * Returns how many users start per second until all run.
     *
     * @return the spawn rate
     */
    public int spawnRatePerSecond() {
      return spawnRatePerSecond;
    }

    /**
     * Returns how long the test runs.
     *
     * @return the duration
     */
    public Duration duration() {
      return duration;
    }

    /**
     * Returns what the profile is for.
     *
     * @return the purpose
     */
    public String purpose() {
      return purpose;
    }
  }

  /** The "Escalation Matrix" table. */
  public enum Severity {
    P0("Critical", Duration.ofMinutes(15), "15 min", "Engineering lead + on-call"),
    P1("High", Duration.ofHours(1), "1 hour", "Engineering lead"),
    P2("Medium", Duration.ofDays(1), "1 business day", "Team backlog"),
    P3("Low", Duration.ofDays(7), "1 week", "Team backlog");

    private final String level;
    private final Duration responseTime;
    private final String responseText;
    private final String escalation;

    Severity(String level, Duration responseTime, String responseText, String escalation) {
      this.level = level;
      this.responseTime = responseTime;
      this.responseText = responseText;
      this.escalation = escalation;
    }

    /**
     * Returns the level as the guide names it, for example "Critical".
     *
     * @return the level
     */
    public String level() {
      return level;
    }

    /**
     * Returns the response time (a business day counts as one day).
     *
     * @return the response time
     */
    public Duration responseTime() {
      return responseTime;
    }

    /**
     * Returns the response time as the guide writes it.
     *
     * @return the response time text
     */
    public String responseText() {
      return responseText;
    }

    /**
     * Returns who is escalated to.
     *
     * @return the escalation
     */
    public String escalation() {
      return escalation;
    }
  }

  /** The "Performance Budgets" list. */
  public enum Budget {
    BUNDLE_SIZE("Bundle Size", "Main bundle gzipped", 500 * 1024, Unit.COUNT),
    GENERATE_RESPONSE_TIME("API Response Time", "P95 for generate", 5, Unit.SECONDS),
    TRANSFORM_RESPONSE_TIME("API Response Time", "P95 for transform", 2, Unit.SECONDS),
    FIRST_CONTENTFUL_PAINT("First Contentful Paint", "", 2.5, Unit.SECONDS),
    TIME_TO_INTERACTIVE("Time to Interactive", "", 5, Unit.SECONDS);

    private final String title;
    private final String scope;
    private final double limit;
    private final Unit unit;

    Budget(String title, String scope, double limit, Unit unit) {
      this.title = title;
      this.scope = scope;
      this.limit = limit;
      this.unit = unit;
    }

    /**
     * Returns the budget as the guide names it.
     *
     * @return the title
     */
    public String title() {
      return title;
    }

    /**
     * Returns what the budget applies to, or empty.
     *
     * @return the scope
     */
    public String scope() {
      return scope;
    }

    /**
     * Returns the upper limit, in {@link #unit()} (bytes for the bundle).
     *
     * @return the limit
     */
    public double limit() {
      return limit;
    }

    /**
     * Returns the unit of the limit.
     *
     * @return the unit
     */
    public Unit unit() {
      return unit;
    }
  }

  /** The three Grafana dashboards the guide links to. */
  public enum Dashboard {
    PERFORMANCE_OPTIMIZATION("chimera-performance-optimization", "Performance Optimization"),
    PERFORMANCE_BASELINE("chimera-performance-baseline", "Performance Baseline"),
    TECHNICAL_OPERATIONS("chimera-technical-dashboard", "Technical Operations");

    private final String uid;
    private final String title;

    Dashboard(String uid, String title) {
      this.uid = uid;
      this.title = title;
    }

    /**
     * Returns the Grafana uid.
     *
     * @return the uid
     */
    public String uid() {
      return uid;
    }

    /**
     * Returns the dashboard title.
     *
     * @return the title
     */
    public String title() {
      return title;
    }
  }

  /** The seven sections of the "Weekly Performance Review Checklist", with their items. */
  @SuppressWarnings("ImmutableEnumChecker") // items are List.of(...)
  public enum ReviewSection {
    ALERTS("Review Prometheus Alerts", List.of("Check active alerts")),
    CACHE(
        "Review Cache Performance",
        List.of(
            "Check L1 and L2 cache hit rates",
            "Verify cache memory utilization is healthy",
            "Review cache health status",
            "Identify any cache-eviction patterns")),
    CONNECTION_POOL(
        "Review Connection Pool Health",
        List.of(
            "Check pool utilization across providers",
            "Review wait times and identify bottlenecks",
            "Check for stale connections",
            "Review failure rates by provider")),
    SLA(
        "Review SLA Compliance",
        List.of(
            "Generate API P95 latency <10s?",
            "Transform API P95 latency <2s?",
            "Overall throughput >10 RPS?",
            "Any SLA breaches in the past week?")),
    GRADIENT_OPTIMIZER(
        "Review Gradient Optimizer",
        List.of(
            "Average duration trending up or down?",
            "Any unusual spikes in optimization time?",
            "Worker queue backlog healthy?")),
    COMPRESSION(
        "Review Compression Effectiveness",
        List.of("Compression ratio >50%?", "Any response size anomalies?")),
    CIRCUIT_BREAKER(
        "Review Circuit Breaker Activity",
        List.of("Any unexpected circuit breaker trips?", "Are providers recovering properly?"));

    private final String title;
    private final List<String> items;

    ReviewSection(String title, List<String> items) {
      this.title = title;
      this.items = items;
    }

    /**
     * Returns the section title as the guide writes it.
     *
     * @return the title
     */
    public String title() {
      return title;
    }

    /**
     * Returns the checklist items, in the guide's order.
     *
     * @return the items
     */
    public List<String> items() {
      return items;
    }
  }

  /** Where the guide keeps the Prometheus alert rules, relative to the repository root. */
  public static final String ALERT_RULES_PATH = "monitoring/prometheus/rules/chimera-alerts.yml";

  /** Where the guide keeps the Grafana dashboards, relative to the repository root. */
  public static final String DASHBOARDS_PATH = "monitoring/grafana/dashboards/";

  /**
   * Returns the SLA rows of the key-metrics table.
   *
   * @return the rows whose category is {@link Category#SLA}
   */
  public static List<KeyMetric> slaRows() {
    List<KeyMetric> rows = new ArrayList<>();
    for (KeyMetric m : KeyMetric.values()) {
      if (m.category() == Category.SLA) {
        rows.add(m);
      }
    }
    return List.copyOf(rows);
  }

  /**
   * Returns every API latency limit the guide states, ascending and without repeats: the test
   * thresholds' P50/P95/P99, the SLA P95 targets and alerts, and the latency SLO and budgets. These
   * are the SLO buckets of {@code chimera.api.requests}, so each limit can be read exactly.
   *
   * @return the latency limits
   */
  public static List<Duration> apiLatencyThresholds() {
    TreeSet<Duration> all = new TreeSet<>();
    for (Operation op : Operation.values()) {
      all.add(op.p50());
      all.add(op.p95());
      all.add(op.p99());
    }
    for (KeyMetric m : slaRows()) {
      if (m.unit() == Unit.SECONDS) {
        all.add(seconds(m.target()));
        all.add(seconds(m.alert()));
      }
    }
    all.add(seconds(Slo.API_LATENCY_P95.target()));
    all.add(seconds(Budget.GENERATE_RESPONSE_TIME.limit()));
    all.add(seconds(Budget.TRANSFORM_RESPONSE_TIME.limit()));
    return List.copyOf(all);
  }

  /**
   * Converts seconds, as stored in this catalog, to a {@link Duration}.
   *
   * @param seconds seconds, possibly fractional
   * @return the duration, rounded to the nearest microsecond
   */
  public static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1_000_000.0) * 1_000L);
  }

  /**
   * Classifies {@code value} against a target and alert threshold.
   *
   * @param direction whether larger is better
   * @param target the target
   * @param alert the alert threshold
   * @param value the value; NaN gives {@link Status#NO_DATA}
   * @return the status
   */
  public static Status classify(Direction direction, double target, double alert, double value) {
    if (Double.isNaN(value)) {
      return Status.NO_DATA;
    }
    boolean higher = direction == Direction.HIGHER_IS_BETTER;
    if (higher ? value > target : value < target) {
      return Status.OK;
    }
    if (higher ? value < alert : value > alert) {
      return Status.ALERT;
    }
    return Status.WARN;
  }

  /**
   * Formats a value in a unit the way the guide writes it: {@code 70%}, {@code 50ms}, {@code 7s},
   * {@code 0.05/sec}, {@code 100}.
   *
   * @param unit the unit
   * @param value the value; NaN prints as {@code -}
   * @return the text
   */
  public static String format(Unit unit, double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    switch (unit) {
      case RATIO:
        return trim(value * 100) + "%";
      case SECONDS:
        return value < 1 ? trim(value * 1000) + "ms" : trim(value) + "s";
      case PER_SECOND:
        return trim(value) + "/sec";
      case COUNT:
      default:
        return trim(value);
    }
  }

  private static String p95Query(Api api) {
    return "histogram_quantile(0.95, sum by (le) (rate(chimera_api_requests_seconds_bucket{api=\""
        + api.tag()
        + "\"}[5m])))";
  }

  private static String trim(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString((long) Math.rint(v));
    }
    // three decimals for small numbers (0.05/sec), one for the rest (70.2%, 644.5/sec)
    String s = String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.3f" : "%.1f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
