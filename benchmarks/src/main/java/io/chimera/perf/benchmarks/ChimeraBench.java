package io.chimera.perf.benchmarks;

import java.util.Arrays;

/**
 * The {@code chimera-bench} command: {@code demo} (the default), {@code jmh [JMH options]}.
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
          demo [--port N] [--seconds S]   start a MetricsServer, drive the meters, print the review
          jmh [JMH options]                run the JMH suites (e.g. jmh CounterBenchmark -f 1)
          help                             this text
        """);
  }
}
