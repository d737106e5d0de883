package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.AlertCatalog.Alert;
import io.chimera.perf.core.Perf008.Dashboard;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Slo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringArtifactsTest {

  private static final Pattern EXPR = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Path root = Promtool.repositoryRoot();

  @Test
  void committedArtifactsMatchTheGenerator() throws Exception {
    if (Boolean.getBoolean("chimera.regenerate")) {
      MonitoringGenerator.writeTo(root);
    }
    assertThat(MonitoringGenerator.differences(root))
        .as("stale generated files; run ./chimera-bench monitoring and commit them")
        .isEmpty();
  }

  @Test
  void everyKeyMetricAndSloHasAnAlertWithAnEscalationSeverity() {
    List<Alert> alerts = AlertCatalog.allAlerts();
    assertThat(AlertCatalog.keyMetricAlerts()).hasSize(KeyMetric.values().length);
    assertThat(AlertCatalog.sloAlerts()).hasSize(Slo.values().length);
    // 3 burn-rate pairs for availability and error rate
    assertThat(AlertCatalog.burnRateAlerts()).hasSize(6);
    assertThat(alerts).extracting(Alert::name).doesNotHaveDuplicates();
    assertThat(alerts).allSatisfy(a -> assertThat(a.severity()).isNotNull());
    assertThat(AlertCatalog.keyMetricAlerts().get(0).expr())
        .isEqualTo("cache:chimera_l1_hit_rate:ratio_rate5m < 0.5");
  }

  @Test
  void alertRulesPassPromtoolCheck() throws Exception {
    Promtool.Result r = Promtool.run(root, "check", "rules", Perf008.ALERT_RULES_PATH);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertFiresPastItsThresholdAfterItsForAndStaysSilentInsideTheTarget(@TempDir Path tmp)
      throws Exception {
    // run the generated tests against freshly generated rules, so this proves the generator
    Path rules = tmp.resolve("chimera-alerts.yml");
    Files.writeString(rules, RulesYaml.rules(), StandardCharsets.UTF_8);
    Files.writeString(
        tmp.resolve("chimera-alerts.test.yml"),
        RulesYaml.tests("chimera-alerts.yml"),
        StandardCharsets.UTF_8);
    Promtool.Result r = Promtool.run(tmp, "test", "rules", "chimera-alerts.test.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void everyDashboardQueryParses(@TempDir Path tmp) throws Exception {
    StringBuilder y = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    int n = 0;
    for (Dashboard d : Dashboard.values()) {
      for (String expr : expressions(Dashboards.json(d))) {
        assertThat(expr).doesNotContain("[5m]");
        String promQl = expr.replace("$__rate_interval", "5m");
        y.append("      - record: dashboard_query_").append(n++).append('\n');
        y.append("        expr: ").append(RulesYaml.q(promQl)).append('\n');
      }
    }
    assertThat(n).isGreaterThan(30);
    Path file = tmp.resolve("dashboards.yml");
    Files.writeString(file, y.toString(), StandardCharsets.UTF_8);
    Promtool.Result r = Promtool.run(tmp, "check", "rules", "dashboards.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void dashboardsCarryTheirUidDatasourceVariableAndPinnedSchema() {
    for (Dashboard d : Dashboard.values()) {
      String json = Dashboards.json(d);
      assertThat(json)
          .contains("\"uid\": \"" + d.uid() + "\"")
          .contains("\"schemaVersion\": " + Dashboards.SCHEMA_VERSION)
          .contains("\"name\": \"datasource\"")
          .contains("\"uid\": \"${datasource}\"");
    }
    String optimization = Dashboards.json(Dashboard.PERFORMANCE_OPTIMIZATION);
    for (KeyMetric m : KeyMetric.values()) {
      assertThat(optimization).contains("\"title\": \"" + m.metric() + "\"");
    }
    // the L1 hit rate panel draws red below 50% and green from 70%
    assertThat(optimization)
        .containsPattern(
            "\"color\": \"yellow\",\\s+\"value\": 0.5\\s+\\},\\s+\\{\\s+\"color\": \"green\",\\s+\"value\": 0.7");
  }

  @Test
  void goFormattingMatchesPrometheusTemplates() {
    assertThat(GoFormat.humanizePercentage(0.30000000000000004)).isEqualTo("30%");
    assertThat(GoFormat.humanizePercentage(0.925)).isEqualTo("92.5%");
    assertThat(GoFormat.humanizeDuration(0.2)).isEqualTo("200ms");
    assertThat(GoFormat.humanizeDuration(19.499999999999996)).isEqualTo("19.5s");
    assertThat(GoFormat.humanizeDuration(90)).isEqualTo("1m 30s");
    assertThat(GoFormat.g4(123456)).isEqualTo("1.235e+05");
    assertThat(GoFormat.g4(0.00001234)).isEqualTo("1.234e-05");
  }

  private static List<String> expressions(String json) {
    List<String> out = new ArrayList<>();
    Matcher m = EXPR.matcher(json);
    while (m.find()) {
      out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return out;
  }
}
