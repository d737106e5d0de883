package io.chimera.perf.benchmarks.pool;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.pool.GradientOptimizer;
import io.chimera.perf.pool.GradientOptimizerJob;
import io.chimera.perf.pool.GradientOptimizerMethod;
import io.chimera.perf.pool.WorkerPool;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What timing a gradient step costs, on a small (8-dimensional quadratic) objective:
 *
 * <ul>
 *   <li>{@code untimedEvaluation} vs {@code timedEvaluation}: one evaluation bare, and wrapped in
 *       two {@code System.nanoTime()} reads and a record into a timer configured as the optimizer
 *       configures {@code chimera.optimizer.gradient.duration} (percentile histogram, PERF-008 SLO
 *       buckets) on a Prometheus registry;
 *   <li>{@code rawGradientDescent} vs {@code optimizerGradientDescent}: {@link #STEPS} steps of
 *       plain gradient descent as a hand-written loop, and as a {@link GradientOptimizer} job
 *       (timed evaluations, stopping rules, one pool hand-off per job), per step.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GradientTimingBenchmark {

  static final int STEPS = 1_000;
  private static final int DIM = 8;

  private final double[] x = new double[DIM];
  private final double[] g = new double[DIM];
  private PrometheusMeterRegistry registry;
  private Timer timer;
  private WorkerPool pool;
  private GradientOptimizer optimizer;
  private GradientOptimizerJob job;

  static double quadratic(double[] x, double[] g) {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - i;
      f += (i + 1) * d * d;
      g[i] = 2 * (i + 1) * d;
    }
    return f;
  }

  @Setup
  public void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    timer =
        Timer.builder(MetricNames.OPTIMIZER_GRADIENT_DURATION)
            .tag(MetricNames.TAG_OPTIMIZER, "bench-raw")
            .publishPercentileHistogram()
            .serviceLevelObjectives(
                Perf008.seconds(Perf008.KeyMetric.GRADIENT_DURATION.target()),
                Perf008.seconds(Perf008.KeyMetric.GRADIENT_DURATION.alert()))
            .register(registry);
    pool = WorkerPool.builder("bench").threads(1).daemon(true).meterRegistry(registry).build();
    optimizer = GradientOptimizer.builder("bench", pool).meterRegistry(registry).build();
    job =
        GradientOptimizerJob.builder(GradientTimingBenchmark::quadratic, new double[DIM])
            .method(GradientOptimizerMethod.gradientDescent(0.01))
            .maxSteps(STEPS)
            .build();
  }

  @TearDown
  public void tearDown() {
    optimizer.close();
    pool.shutdown(Duration.ofSeconds(5));
    registry.close();
  }

  @Benchmark
  public double untimedEvaluation() {
    return quadratic(x, g);
  }

  @Benchmark
  public double timedEvaluation() {
    long start = System.nanoTime();
    double v = quadratic(x, g);
    timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return v;
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public double rawGradientDescent() {
    double[] p = new double[DIM];
    double[] grad = new double[DIM];
    double v = 0;
    for (int s = 0; s <= STEPS; s++) {
      v = quadratic(p, grad);
      if (s == STEPS) {
        break;
      }
      for (int i = 0; i < DIM; i++) {
        p[i] -= 0.01 * grad[i];
      }
    }
    return v;
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public double optimizerGradientDescent() {
    return optimizer.submit(job).join().value();
  }
}
