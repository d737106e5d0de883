package io.chimera.perf.core;

import io.chimera.perf.core.AlertCatalog.Alert;
import io.chimera.perf.core.AlertCatalog.Recording;
import io.chimera.perf.core.AlertScenarios.Scenario;
import io.chimera.perf.core.AlertScenarios.Series;
import java.util.List;

/** Writes the Prometheus rule file and its promtool unit tests as YAML. */
final class RulesYaml {

  static final String HEADER =
      """
      # Generated from io.chimera.perf.core.Perf008 by MonitoringGenerator. Do not edit:
      # change Perf008 (or the generator) and run ./chimera-bench monitoring.
      """;

  private RulesYaml() {}

  static String rules() {
    StringBuilder y = new StringBuilder(HEADER).append("groups:\n");
    y.append("  - name: chimera-perf008-recording\n    rules:\n");
    for (Recording r : AlertCatalog.recordings()) {
      y.append("      - record: ").append(r.name()).append('\n');
      y.append("        expr: ").append(q(r.expr())).append('\n');
    }
    group(y, "chimera-perf008-key-metrics", AlertCatalog.keyMetricAlerts());
    group(y, "chimera-perf008-slo", AlertCatalog.sloAlerts());
    group(y, "chimera-perf008-burn-rate", AlertCatalog.burnRateAlerts());
    return y.toString();
  }

  private static void group(StringBuilder y, String name, List<Alert> alerts) {
    y.append("  - name: ").append(name).append("\n    rules:\n");
    for (Alert a : alerts) {
      y.append("      - alert: ").append(a.name()).append('\n');
      y.append("        expr: ").append(q(a.expr())).append('\n');
      y.append("        for: ").append(a.forText()).append('\n');
      y.append("        labels:\n");
      y.append("          severity: ").append(q(a.severity().name())).append('\n');
      y.append("          category: ").append(q(a.category())).append('\n');
      y.append("        annotations:\n");
      y.append("          summary: ").append(q(a.summaryTemplate())).append('\n');
      y.append("          description: ").append(q(a.description())).append('\n');
      y.append("          escalation: ").append(q(a.escalation())).append('\n');
    }
  }

  static String tests(String rulesFileName) {
    StringBuilder y = new StringBuilder(HEADER);
    y.append("rule_files:\n  - ").append(rulesFileName).append('\n');
    y.append("evaluation_interval: 1m\ntests:\n");
    for (Alert a : AlertCatalog.allAlerts()) {
      Scenario s = AlertScenarios.of(a);
      boolean grouped = !a.groupLabel().isEmpty();
      int before = a.forMinutes() - 1;
      int after = a.forMinutes() + 6;
      y.append("  - name: ")
          .append(q(a.name() + " fires after " + a.forText() + " past its threshold"))
          .append('\n');
      y.append("    interval: 1m\n    input_series:\n");
      series(y, s.breaching());
      if (grouped) {
        series(y, s.healthy());
      }
      y.append("    alert_rule_test:\n");
      expectNone(y, a, before);
      y.append("      - eval_time: ").append(after).append("m\n");
      y.append("        alertname: ").append(a.name()).append('\n');
      y.append("        exp_alerts:\n");
      y.append("          - exp_labels:\n");
      y.append("              severity: ").append(q(a.severity().name())).append('\n');
      y.append("              category: ").append(q(a.category())).append('\n');
      if (grouped) {
        y.append("              ")
            .append(a.groupLabel())
            .append(": ")
            .append(q(AlertScenarios.BAD))
            .append('\n');
      }
      y.append("            exp_annotations:\n");
      y.append("              summary: ")
          .append(q(a.summaryFor(s.value(), AlertScenarios.BAD)))
          .append('\n');
      y.append("              description: ").append(q(a.description())).append('\n');
      y.append("              escalation: ").append(q(a.escalation())).append('\n');
      if (!grouped) {
        y.append("  - name: ").append(q(a.name() + " stays silent inside the target")).append('\n');
        y.append("    interval: 1m\n    input_series:\n");
        series(y, s.healthy());
        y.append("    alert_rule_test:\n");
        expectNone(y, a, after);
      }
    }
    return y.toString();
  }

  private static void expectNone(StringBuilder y, Alert a, int minutes) {
    y.append("      - eval_time: ").append(minutes).append("m\n");
    y.append("        alertname: ").append(a.name()).append('\n');
    y.append("        exp_alerts: []\n");
  }

  private static void series(StringBuilder y, List<Series> series) {
    for (Series s : series) {
      y.append("      - series: ").append(q(s.selector())).append('\n');
      y.append("        values: ").append(q(s.values())).append('\n');
    }
  }

  /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
  static String q(String s) {
    return Json.string(new StringBuilder(), s).toString();
  }
}
