package io.chimera.perf.core;

import io.chimera.perf.core.Perf008.Category;
import io.chimera.perf.core.Perf008.Direction;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.ReviewSection;
import io.chimera.perf.core.Perf008.Severity;
import io.chimera.perf.core.Perf008.Slo;
import io.chimera.perf.core.Perf008.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Prometheus rules derived from {@link Perf008}: one recording rule per key metric and SLO, an
 * alert per key-metric alert threshold and per SLO, and multi-window multi-burn-rate alerts for the
 * two error-budget SLOs. Each rule knows how to render its own annotations for a given value, so
 * the promtool tests can expect exactly what Prometheus will say.
 */
final class AlertCatalog {

  private AlertCatalog() {}

  /** A recording rule. */
  record Recording(String name, String expr) {}

  /**
   * An alerting rule.
   *
   * @param name alert name
   * @param expr PromQL that is non-empty while the alert condition holds
   * @param forMinutes how long the condition must hold
   * @param severity the escalation-matrix row
   * @param category a PERF-008 category title or "SLO"
   * @param groupLabel the label that names the subject (cache, pool ...) or empty
   * @param subject what the summary calls the value, e.g. "L1 Hit Rate"
   * @param unit how the value is printed
   * @param thresholdText e.g. "alert <50%, target >70%"
   * @param section the review-checklist section to look at first
   */
  record Alert(
      String name,
      String expr,
      int forMinutes,
      Severity severity,
      String category,
      String groupLabel,
      String subject,
      Unit unit,
      String thresholdText,
      ReviewSection section) {

    String forText() {
      return forMinutes % 60 == 0 ? forMinutes / 60 + "h" : forMinutes + "m";
    }

    /** The summary template, as Prometheus receives it. */
    String summaryTemplate() {
      String who = groupLabel.isEmpty() ? "" : "{{ $labels." + groupLabel + " }}: ";
      return who + subject + " is " + valueTemplate() + " (" + thresholdText + ")";
    }

    /** The summary as Prometheus renders it for {@code value} and subject {@code group}. */
    String summaryFor(double value, String group) {
      String who = groupLabel.isEmpty() ? "" : group + ": ";
      return who + subject + " is " + GoFormat.render(unit, value) + " (" + thresholdText + ")";
    }

    private String valueTemplate() {
      return switch (unit) {
        case RATIO -> "{{ $value | humanizePercentage }}";
        case SECONDS -> "{{ $value | humanizeDuration }}";
        case PER_SECOND -> "{{ printf \"%.2f\" $value }}/sec";
        case COUNT -> "{{ printf \"%.0f\" $value }}";
      };
    }

    String description() {
      return "PERF-008 "
          + category
          + ": "
          + subject
          + " has been past its threshold for "
          + forText()
          + ". "
          + section.title()
          + " first: "
          + String.join("; ", section.items())
          + ".";
    }

    String escalation() {
      return severity.name()
          + " ("
          + severity.level()
          + "): respond within "
          + severity.responseText()
          + "; escalate to "
          + severity.escalation()
          + ".";
    }
  }

  /** Multi-window burn-rate alert settings from the SRE workbook: factor, long, short window. */
  enum Burn {
    FAST(14.4, "1h", "5m", 2, Severity.P0),
    SLOW(6, "6h", "30m", 15, Severity.P1),
    TICKET(1, "3d", "6h", 60, Severity.P2);

    final double factor;
    final String longWindow;
    final String shortWindow;
    final int forMinutes;
    final Severity severity;

    Burn(double factor, String longWindow, String shortWindow, int forMinutes, Severity severity) {
      this.factor = factor;
      this.longWindow = longWindow;
      this.shortWindow = shortWindow;
      this.forMinutes = forMinutes;
      this.severity = severity;
    }
  }

  static final List<String> ERROR_RATIO_WINDOWS = List.of("5m", "30m", "1h", "6h", "3d");

  static String recordName(KeyMetric m) {
    String level = m.probe().groupBy().isEmpty() ? "global" : m.probe().groupBy();
    return level
        + ":chimera_"
        + m.name().toLowerCase(Locale.ROOT)
        + ":"
        + operation(m.promQl(), m.unit());
  }

  static String recordName(Slo slo) {
    return "global:chimera_slo_"
        + slo.name().toLowerCase(Locale.ROOT)
        + ":"
        + operation(slo.promQl(), slo.unit());
  }

  static String errorRatioRecord(String window) {
    return "global:chimera_api_requests_errors:ratio_rate" + window;
  }

  /** The operations part of a recording rule name, read off the expression. */
  private static String operation(String promQl, Unit unit) {
    if (promQl.startsWith("histogram_quantile(0.95")) {
      return "p95_rate5m";
    }
    if (promQl.contains("rate(")) {
      return switch (unit) {
        case RATIO -> "ratio_rate5m";
        case SECONDS -> "mean_rate5m";
        case PER_SECOND, COUNT -> "rate5m";
      };
    }
    return promQl.startsWith("max") ? "max" : "sum";
  }

  static List<Recording> recordings() {
    List<Recording> out = new ArrayList<>();
    for (KeyMetric m : KeyMetric.values()) {
      out.add(new Recording(recordName(m), m.promQl()));
    }
    for (Slo slo : Slo.values()) {
      out.add(new Recording(recordName(slo), slo.promQl()));
    }
    for (String w : ERROR_RATIO_WINDOWS) {
      String count = "rate(chimera_api_requests_seconds_count[" + w + "])";
      String failed = "rate(chimera_api_requests_seconds_count{outcome!=\"success\"}[" + w + "])";
      out.add(
          new Recording(
              errorRatioRecord(w),
              "(sum(" + failed + ") or sum(" + count + ") * 0) / sum(" + count + ")"));
    }
    return out;
  }

  static List<Alert> keyMetricAlerts() {
    List<Alert> out = new ArrayList<>();
    for (KeyMetric m : KeyMetric.values()) {
      boolean higher = m.direction() == Direction.HIGHER_IS_BETTER;
      out.add(
          new Alert(
              "Chimera" + pascal(m.name()) + (higher ? "Low" : "High"),
              recordName(m) + (higher ? " < " : " > ") + number(m.alert()),
              forMinutes(m),
              severity(m),
              m.category().title(),
              m.probe().groupBy(),
              m.metric(),
              m.unit(),
              "alert " + m.alertText() + ", target " + m.targetText(),
              section(m.category())));
    }
    return out;
  }

  static List<Alert> sloAlerts() {
    List<Alert> out = new ArrayList<>();
    for (Slo slo : Slo.values()) {
      boolean higher = slo.direction() == Direction.HIGHER_IS_BETTER;
      String target = (higher ? ">" : "<") + Perf008.format(slo.unit(), slo.target());
      out.add(
          new Alert(
              "ChimeraSlo" + pascal(slo.name()) + (higher ? "Low" : "High"),
              recordName(slo) + (higher ? " < " : " > ") + number(slo.target()),
              slo == Slo.CACHE_HIT_RATE ? 30 : 10,
              slo == Slo.CACHE_HIT_RATE ? Severity.P2 : Severity.P1,
              "SLO",
              "",
              slo.title(),
              slo.unit(),
              "objective " + target + ", measured by " + slo.measurement(),
              slo == Slo.CACHE_HIT_RATE ? ReviewSection.CACHE : ReviewSection.SLA));
    }
    return out;
  }

  /** SLOs stated as a share of good or bad requests, which have an error budget to burn. */
  static List<Slo> budgetSlos() {
    return List.of(Slo.API_AVAILABILITY, Slo.ERROR_RATE);
  }

  static List<Alert> burnRateAlerts() {
    List<Alert> out = new ArrayList<>();
    for (Slo slo : budgetSlos()) {
      double budget = slo.errorBudget();
      for (Burn burn : Burn.values()) {
        double limit = burn.factor * budget;
        String expr =
            errorRatioRecord(burn.longWindow)
                + " > "
                + number(limit)
                + " and "
                + errorRatioRecord(burn.shortWindow)
                + " > "
                + number(limit);
        out.add(
            new Alert(
                "Chimera" + pascal(slo.name()) + "BudgetBurn" + pascal(burn.name()),
                expr,
                burn.forMinutes,
                burn.severity,
                "SLO",
                "",
                "Error ratio over " + burn.longWindow,
                Unit.RATIO,
                "burning the "
                    + Perf008.format(Unit.RATIO, budget)
                    + " error budget of "
                    + slo.title()
                    + " at "
                    + number(burn.factor)
                    + "x over "
                    + burn.longWindow
                    + " and "
                    + burn.shortWindow,
                ReviewSection.SLA));
      }
    }
    return out;
  }

  static List<Alert> allAlerts() {
    List<Alert> all = new ArrayList<>(keyMetricAlerts());
    all.addAll(sloAlerts());
    all.addAll(burnRateAlerts());
    return all;
  }

  private static int forMinutes(KeyMetric m) {
    return switch (m) {
      case L1_HIT_RATE, L2_HIT_RATE, COMBINED_HIT_RATE -> 15;
      case COMPRESSION_RATIO -> 30;
      case POOL_AVG_WAIT, POOL_FAILURE_RATE, WORKER_QUEUE_BACKLOG, BREAKER_TRIP_RATE -> 5;
      default -> 10;
    };
  }

  private static Severity severity(KeyMetric m) {
    return switch (m) {
      case POOL_FAILURE_RATE, BREAKER_TRIP_RATE, GENERATE_P95, TRANSFORM_P95, THROUGHPUT ->
          Severity.P1;
      case POOL_STALE_CONNECTIONS, COMPRESSION_RATIO -> Severity.P3;
      default -> Severity.P2;
    };
  }

  static ReviewSection section(Category category) {
    return switch (category) {
      case CACHE -> ReviewSection.CACHE;
      case CONNECTION_POOL -> ReviewSection.CONNECTION_POOL;
      case OPTIMIZER, WORKER_POOL -> ReviewSection.GRADIENT_OPTIMIZER;
      case COMPRESSION -> ReviewSection.COMPRESSION;
      case CIRCUIT_BREAKER -> ReviewSection.CIRCUIT_BREAKER;
      case SLA -> ReviewSection.SLA;
    };
  }

  static String pascal(String constant) {
    StringBuilder out = new StringBuilder();
    for (String part : constant.split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  /** A threshold as PromQL reads it: no trailing zeros, no exponent. */
  static String number(double v) {
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(12))
        .stripTrailingZeros()
        .toPlainString();
  }
}
