package io.chimera.perf.core;

import io.chimera.perf.core.Perf008.Dashboard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates the monitoring artifacts PERF-008 names from {@link Perf008}, so a threshold changes in
 * one place: the Prometheus alerting and recording rules ({@value Perf008#ALERT_RULES_PATH}), their
 * promtool unit tests ({@value #ALERT_TESTS_PATH}), and the three Grafana dashboards under {@value
 * Perf008#DASHBOARDS_PATH}.
 *
 * <pre>{@code
 * List<Path> changed = MonitoringGenerator.writeTo(Path.of("."));
 * List<String> stale = MonitoringGenerator.differences(Path.of(".")); // empty when up to date
 * }</pre>
 */
public final class MonitoringGenerator {

  /** Where the promtool unit tests of the alert rules go, relative to the repository root. */
  public static final String ALERT_TESTS_PATH =
      "monitoring/prometheus/rules/chimera-alerts.test.yml";

  private MonitoringGenerator() {}

  /**
   * Returns every generated file: path relative to the repository root, mapped to its content.
   *
   * @return the files, sorted by path
   */
  public static Map<String, String> files() {
    Map<String, String> files = new TreeMap<>();
    files.put(Perf008.ALERT_RULES_PATH, RulesYaml.rules());
    String rulesName = Path.of(Perf008.ALERT_RULES_PATH).getFileName().toString();
    files.put(ALERT_TESTS_PATH, RulesYaml.tests(rulesName));
    for (Dashboard d : Dashboard.values()) {
      files.put(Perf008.DASHBOARDS_PATH + d.uid() + ".json", Dashboards.json(d));
    }
    return files;
  }

  /**
   * Writes every generated file below {@code root}, creating folders, and leaves files whose
   * content is already right untouched.
   *
   * @param root the repository root
   * @return the files written
   * @throws IOException if a file cannot be written
   */
  public static List<Path> writeTo(Path root) throws IOException {
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, String> e : files().entrySet()) {
      Path path = root.resolve(e.getKey());
      if (Files.isRegularFile(path)
          && Files.readString(path, StandardCharsets.UTF_8).equals(e.getValue())) {
        continue;
      }
      Files.createDirectories(path.getParent());
      Files.writeString(path, e.getValue(), StandardCharsets.UTF_8);
      written.add(path);
    }
    return written;
  }

  /**
   * Returns the generated files that are missing below {@code root} or differ from what the
   * generator writes now.
   *
   * @param root the repository root
   * @return relative paths of stale files; empty when everything is up to date
   * @throws IOException if a file exists but cannot be read
   */
  public static List<String> differences(Path root) throws IOException {
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> e : files().entrySet()) {
      Path path = root.resolve(e.getKey());
      if (!Files.isRegularFile(path)
          || !Files.readString(path, StandardCharsets.UTF_8).equals(e.getValue())) {
        stale.add(e.getKey());
      }
    }
    return stale;
  }
}
