package io.chimera.perf.benchmarks;

import io.chimera.perf.benchmarks.cache.CacheRatios;
import io.chimera.perf.benchmarks.pool.PoolRecovery;
import io.chimera.perf.benchmarks.review.ReviewCommand;
import io.chimera.perf.core.MonitoringGenerator;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code chimera-bench} command: {@code demo} (the default), {@code review}, {@code
 * monitoring}, {@code pool-recovery}, {@code cache-ratios}, {@code jmh [JMH options]}.
 *
 * <p>Exit codes: 0 success, 1 a check failed (for example a review row in ALERT), 2 bad usage.
 */
public final class ChimeraBench {

  private ChimeraBench() {}

  /**
   * Runs a sub-command.
   *
   * @param args the command line
   * @throws Exception when the sub-command fails
   */
  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "demo" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    int code =
        switch (command) {
          case "demo" -> Demo.run(rest);
          case "review" -> ReviewCommand.run(rest, System.out);
          case "monitoring" -> {
            Path root = Path.of(rest.length > 0 ? rest[0] : ".");
            for (Path written : MonitoringGenerator.writeTo(root)) {
              System.out.println("wrote " + written);
            }
            System.out.println(
                "monitoring artifacts are up to date under " + root.toAbsolutePath());
            yield 0;
          }
          case "pool-recovery" -> PoolRecovery.run(rest);
          case "cache-ratios" -> CacheRatios.run(rest, System.out);
          case "jmh" -> {
            org.openjdk.jmh.Main.main(rest);
            yield 0;
          }
          case "help", "-h", "--help" -> {
            usage();
            yield 0;
          }
          default -> {
            System.err.println("unknown command: " + command);
            usage();
            yield 2;
          }
        };
    System.exit(code);
  }

  private static void usage() {
    System.err.println(
        """
        usage: chimera-bench [command] [options]
          demo [--port N] [--seconds S] [--serve]
                                           start a MetricsServer, drive the meters, print the review
          review (--metrics URL | --prometheus URL) [--format text|markdown|json]
                                           the PERF-008 weekly checklist; exit 1 on any ALERT
          monitoring [ROOT]                regenerate monitoring/ (rules, promtool tests, dashboards)
          pool-recovery                    JdbcPools vs raw HikariCP through backend kills and a
                                           database outage on an embedded PostgreSQL (~1 min)
          cache-ratios [ROUNDS] [FILTER]   the cache's JMH targets, ours vs raw in alternating
                                           single-fork runs, as ratios of medians; exit 1 if
                                           a target is missed (~6 min)
          jmh [JMH options]                run the JMH suites (e.g. jmh CounterBenchmark -f 1)
          help                             this text
        """);
  }
}
