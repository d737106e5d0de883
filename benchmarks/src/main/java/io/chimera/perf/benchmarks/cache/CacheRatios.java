package io.chimera.perf.benchmarks.cache;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code chimera-bench cache-ratios}: the three JMH targets of the tiered cache, each ours against
 * the raw library, measured in alternating single-fork runs and reported as ratios of medians; plus
 * reference pairs (no target, never a failure) that show where a gap comes from.
 *
 * <p>Why not one {@code jmh} run with several forks: JMH runs all forks of one benchmark before the
 * next, and on a small shared VM the speed of the machine drifts over minutes (raw Caffeine alone
 * ranged 38-114 ops/us between forks of one jar). Alternating the two sides fork by fork (ours,
 * raw, raw, ours, ...) exposes both to the same drift, and the median of all measurement iterations
 * ignores the bursts of a noisy neighbour that a mean would carry.
 *
 * <pre>{@code
 * chimera-bench cache-ratios            # 4 rounds of every pair (~10 min)
 * chimera-bench cache-ratios 6 l1Hit    # 6 rounds of the pairs whose name contains "l1Hit"
 * }</pre>
 */
public final class CacheRatios {

  /**
   * One target: ours against raw; {@code higherIsBetter} for throughput, not for latency. A {@code
   * target} of NaN makes it a reference pair: its ratio is reported, and it never fails the run.
   */
  record Pair(String ours, String raw, boolean higherIsBetter, double target, String what) {

    boolean isReference() {
      return Double.isNaN(target);
    }

    /** The verdict on a ratio: met, NOT met, or (for a reference pair) none. */
    String verdict(double ratio) {
      if (isReference()) {
        return "reference, no target";
      }
      return String.format("target %.3f: %s", target, ratio >= target ? "met" : "NOT met");
    }

    /** Ours relative to raw, oriented so that more is better for ours: speed-up, not slow-down. */
    double ratio(double oursMedian, double rawMedian) {
      return higherIsBetter ? oursMedian / rawMedian : rawMedian / oursMedian;
    }
  }

  static final List<Pair> PAIRS =
      List.of(
          new Pair(
              "l1HitTiered",
              "l1HitCaffeine",
              true,
              0.8,
              "L1-hit get vs Caffeine getIfPresent, 2 threads, ops/us"),
          new Pair(
              "l1HitTieredAtBound",
              "l1HitCaffeineAtBound",
              true,
              0.8,
              "L1-hit get vs Caffeine getIfPresent, L1 at its bound, 2 threads, ops/us"),
          new Pair(
              "l2HitTiered",
              "l2HitLettuce",
              false,
              1 / 1.1,
              "L2-hit get vs Lettuce GET, 1 thread, us/op (within 1.1x: raw/ours >= 0.909)"),
          new Pair(
              "getAll100Tiered",
              "getAll100Mget",
              true,
              0.9,
              "getAll of 100 vs MGET, 1 thread, ops/s"),
          new Pair(
              "getAll100Tiered",
              "getAll100MgetIntoCaffeine",
              true,
              Double.NaN,
              "getAll of 100 vs MGET plus puts into a one-entry raw Caffeine, 1 thread, ops/s"));

  private static final int ITERATIONS = 8;

  private CacheRatios() {}

  /**
   * Runs the command.
   *
   * @param args {@code [rounds] [name filter]}
   * @param out where the table goes
   * @return 0 when every target measured was met, 1 otherwise, 2 on bad usage
   * @throws RunnerException when a benchmark run fails (JMH's output says why)
   */
  public static int run(String[] args, PrintStream out) throws RunnerException {
    int rounds;
    try {
      rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    } catch (NumberFormatException e) {
      System.err.println("cache-ratios: rounds must be a number, got '" + args[0] + "'");
      return 2;
    }
    if (rounds < 1) {
      System.err.println("cache-ratios: rounds must be at least 1, got " + rounds);
      return 2;
    }
    if (args.length > 2) {
      System.err.println("cache-ratios: expected [ROUNDS] [FILTER], got " + args.length + " args");
      return 2;
    }
    String filter = args.length > 1 ? args[1] : "";
    List<Pair> chosen =
        PAIRS.stream().filter(p -> p.ours().contains(filter) || p.raw().contains(filter)).toList();
    if (chosen.isEmpty()) {
      System.err.println("cache-ratios: no benchmark pair matches '" + filter + "'");
      return 2;
    }
    boolean allMet = true;
    for (Pair p : chosen) {
      List<Double> ours = new ArrayList<>();
      List<Double> raw = new ArrayList<>();
      List<Double> byRound = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        boolean oursFirst = round % 2 == 0;
        List<Double> oursNow = new ArrayList<>();
        List<Double> rawNow = new ArrayList<>();
        measure(oursFirst ? p.ours() : p.raw(), oursFirst ? oursNow : rawNow);
        measure(oursFirst ? p.raw() : p.ours(), oursFirst ? rawNow : oursNow);
        ours.addAll(oursNow);
        raw.addAll(rawNow);
        byRound.add(p.ratio(median(oursNow), median(rawNow)));
        out.printf(
            "%s round %d: ours %.2f, raw %.2f (ratio %.3f); so far ours %.2f, raw %.2f (medians)%n",
            p.ours(),
            round + 1,
            median(oursNow),
            median(rawNow),
            byRound.get(round),
            median(ours),
            median(raw));
      }
      double ratio = p.ratio(median(ours), median(raw));
      allMet &= p.isReference() || ratio >= p.target();
      out.printf(
          "%s%n  ours %s median %.2f, raw %s median %.2f: ratio %.3f, %s%n  %s%n",
          p.what(),
          p.ours(),
          median(ours),
          p.raw(),
          median(raw),
          ratio,
          p.verdict(ratio),
          spread(byRound, p.target()));
    }
    return allMet ? 0 : 1;
  }

  /** Adds the measurement iterations of one single-fork run; throws if the run did not finish. */
  private static void measure(String method, List<Double> into) throws RunnerException {
    int before = into.size();
    Options opt =
        new OptionsBuilder()
            .include(Pattern.quote(TieredCacheBenchmark.class.getName() + "." + method) + "$")
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(ITERATIONS)
            .measurementTime(TimeValue.seconds(1))
            .verbosity(VerboseMode.SILENT)
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(opt).run();
    for (RunResult r : results) {
      r.getBenchmarkResults()
          .forEach(
              b -> {
                for (IterationResult it : b.getIterationResults()) {
                  into.add(it.getPrimaryResult().getScore());
                }
              });
    }
    if (into.size() - before != ITERATIONS) {
      throw new RunnerException(
          method + ": expected " + ITERATIONS + " iterations, got " + (into.size() - before));
    }
  }

  /**
   * How the rounds' own ratios (each round's ours against its raw) spread around the target: the
   * verdict above is on the medians of all rounds, and this says how far one round can stray.
   */
  static String spread(List<Double> byRound, double target) {
    double min = byRound.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = byRound.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    if (Double.isNaN(target)) {
      return String.format("by round: %.3f to %.3f", min, max);
    }
    long atTarget = byRound.stream().filter(r -> r >= target).count();
    return String.format(
        "by round: %.3f to %.3f, %d of %d rounds at or above the target",
        min, max, atTarget, byRound.size());
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
