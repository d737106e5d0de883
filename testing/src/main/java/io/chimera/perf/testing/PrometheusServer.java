package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.Binaries;
import io.chimera.perf.testing.internal.ManagedProcess;
import io.chimera.perf.testing.internal.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) on a free loopback port, scraping
 * the given targets every second and evaluating the given rule file every second.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus =
 *     PrometheusServer.start(List.of("127.0.0.1:" + metrics.port()), rulesFile)) {
 *   URI api = prometheus.uri().resolve("/api/v1/query?query=up");
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final ManagedProcess process;

  private PrometheusServer(Path dir, int port, ManagedProcess process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Returns the {@code prometheus} binary on the PATH, if installed.
   *
   * @return the binary
   */
  public static Optional<Path> binary() {
    return CommandLineTools.find("prometheus");
  }

  /**
   * Starts a server scraping {@code targets} ({@code host:port} of {@code /metrics} endpoints) and
   * evaluating {@code rules} (may be null), and waits until it is ready.
   *
   * @param targets scrape targets
   * @param rules a rule file, or null
   * @return the running server
   * @throws FixtureException if the binary is missing or the server does not become ready
   */
  public static PrometheusServer start(List<String> targets, Path rules) {
    Objects.requireNonNull(targets, "targets");
    Path binary =
        binary()
            .orElseThrow(
                () ->
                    new FixtureException(
                        "prometheus is not installed: apt-get install prometheus (Debian)"));
    Path dir;
    try {
      dir = Files.createTempDirectory("chimera-prometheus-");
      StringBuilder config = new StringBuilder();
      config.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
      if (rules != null) {
        config.append("rule_files:\n  - \"").append(rules.toAbsolutePath()).append("\"\n");
      }
      config.append("scrape_configs:\n  - job_name: chimera\n    static_configs:\n");
      config.append("      - targets: [");
      for (int i = 0; i < targets.size(); i++) {
        config.append(i == 0 ? "" : ", ").append('"').append(targets.get(i)).append('"');
      }
      config.append("]\n");
      Files.writeString(dir.resolve("prometheus.yml"), config.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FixtureException("prometheus: cannot write its configuration", e);
    }
    int port = Ports.freePort();
    ManagedProcess process =
        ManagedProcess.start(
            "prometheus",
            List.of(
                binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"),
            dir.resolve("prometheus.log"));
    PrometheusServer server = new PrometheusServer(dir, port, process);
    try {
      server.awaitReady();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady() {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new FixtureException("prometheus exited during start-up\n" + process.logTail());
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(uri().resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FixtureException("prometheus: interrupted while waiting for it", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FixtureException("prometheus: interrupted while waiting for it", e);
      }
    }
    throw new FixtureException(
        "prometheus not ready after " + READY_TIMEOUT + "\n" + process.logTail());
  }

  /**
   * Returns {@code http://127.0.0.1:port}.
   *
   * @return the base URI of the HTTP API
   */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Stops the server and deletes its data. */
  @Override
  public void close() {
    process.terminate(Duration.ofSeconds(10));
    Binaries.deleteQuietly(dir);
  }
}
