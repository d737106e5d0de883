package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GradientOptimizerTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final WorkerPool pool =
      WorkerPool.builder("opt").threads(2).queueCapacity(64).meterRegistry(registry).build();
  private final GradientOptimizer optimizer =
      GradientOptimizer.builder("test", pool).meterRegistry(registry).build();

  @AfterEach
  void close() {
    pool.close();
  }

  private GradientOptimizerResult run(GradientOptimizerJob job) throws Exception {
    return optimizer.submit(job).get(60, TimeUnit.SECONDS);
  }

  /** f(x) = sum a_i (x_i - c_i)^2, minimum at c. */
  private static final double[] A = {1.0, 2.5, 4.0};

  private static final double[] C = {3.0, -1.5, 0.25};

  private static double bowl(double[] x, double[] g) {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - C[i];
      f += A[i] * d * d;
      g[i] = 2 * A[i] * d;
    }
    return f;
  }

  private static double rosenbrock(double[] x, double[] g) {
    double a = 1 - x[0];
    double b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  }

  @Test
  void gradientDescentFindsTheBowlsMinimum() throws Exception {
    GradientOptimizerResult r =
        run(
            GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[] {0, 0, 0})
                .method(GradientOptimizerMethod.gradientDescent(0.1))
                .gradientTolerance(1e-10)
                .build());
    assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.GRADIENT_TOLERANCE);
    assertThat(r.converged()).isTrue();
    for (int i = 0; i < C.length; i++) {
      assertThat(r.point()[i]).isCloseTo(C[i], within(1e-10));
    }
    assertThat(r.value()).isCloseTo(0, within(1e-20));
    assertThat(r.evaluations()).isEqualTo(r.steps() + 1);
  }

  @Test
  void momentumAndAdamAlsoFindTheBowlsMinimum() throws Exception {
    for (GradientOptimizerMethod m :
        new GradientOptimizerMethod[] {
          GradientOptimizerMethod.momentum(0.02, 0.9), GradientOptimizerMethod.adam(0.05)
        }) {
      GradientOptimizerResult r =
          run(
              GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[] {10, 10, 10})
                  .method(m)
                  .maxSteps(100_000)
                  .gradientTolerance(1e-8)
                  .build());
      assertThat(r.stopReason())
          .as("%s", m)
          .isEqualTo(GradientOptimizerResult.StopReason.GRADIENT_TOLERANCE);
      for (int i = 0; i < C.length; i++) {
        assertThat(r.point()[i]).as("%s x%d", m, i).isCloseTo(C[i], within(1e-8));
      }
    }
  }

  @Test
  void momentumReachesTheRosenbrockMinimum() throws Exception {
    GradientOptimizerResult r =
        run(
            GradientOptimizerJob.builder(GradientOptimizerTest::rosenbrock, new double[] {-1.2, 1})
                .method(GradientOptimizerMethod.momentum(1e-3, 0.9))
                .maxSteps(500_000)
                .gradientTolerance(1e-9)
                .build());
    assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.GRADIENT_TOLERANCE);
    assertThat(r.point()[0]).isCloseTo(1, within(1e-6));
    assertThat(r.point()[1]).isCloseTo(1, within(1e-6));
  }

  @Test
  void adamReachesTheRosenbrockMinimumWithinTolerance() throws Exception {
    GradientOptimizerResult r =
        run(
            GradientOptimizerJob.builder(GradientOptimizerTest::rosenbrock, new double[] {-1.2, 1})
                .method(GradientOptimizerMethod.adam(0.01))
                .maxSteps(200_000)
                .gradientTolerance(1e-6)
                .build());
    assertThat(r.point()[0]).isCloseTo(1, within(1e-3));
    assertThat(r.point()[1]).isCloseTo(1, within(1e-3));
  }

  @Test
  void logisticRegressionSplitOverWorkersMatchesNewtonsMethod() throws Exception {
    LogisticData data = LogisticData.generate(4_000, 42L);
    double[] reference = data.newton();
    Set<String> ranges = ConcurrentHashMap.newKeySet();
    GradientOptimizer.BatchObjective loss =
        new GradientOptimizer.BatchObjective() {
          @Override
          public int size() {
            return data.size();
          }

          @Override
          public double evaluate(double[] w, int from, int to, double[] gradient) {
            ranges.add(from + ".." + to);
            return data.loss(w, from, to, gradient);
          }
        };
    GradientOptimizerResult r =
        run(
            GradientOptimizerJob.builder(loss, new double[LogisticData.DIM])
                .method(GradientOptimizerMethod.momentum(0.5, 0.9))
                .parts(4)
                .maxSteps(20_000)
                .gradientTolerance(1e-10)
                .build());
    assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.GRADIENT_TOLERANCE);
    for (int i = 0; i < LogisticData.DIM; i++) {
      assertThat(r.point()[i]).as("w%d", i).isCloseTo(reference[i], within(1e-6));
    }
    assertThat(data.accuracy(r.point())).isEqualTo(data.accuracy(reference));
    assertThat(data.accuracy(reference)).isGreaterThan(0.75);
    assertThat(ranges)
        .containsExactlyInAnyOrder("0..1000", "1000..2000", "2000..3000", "3000..4000");
  }

  @Test
  void splittingTheBatchGivesTheSameSteps() throws Exception {
    LogisticData data = LogisticData.generate(1_000, 7L);
    GradientOptimizer.BatchObjective loss =
        new GradientOptimizer.BatchObjective() {
          @Override
          public int size() {
            return data.size();
          }

          @Override
          public double evaluate(double[] w, int from, int to, double[] gradient) {
            return data.loss(w, from, to, gradient);
          }
        };
    double[] whole = null;
    for (int parts : new int[] {1, 3, 8}) {
      GradientOptimizerResult r =
          run(
              GradientOptimizerJob.builder(loss, new double[LogisticData.DIM])
                  .method(GradientOptimizerMethod.adam(0.05))
                  .parts(parts)
                  .maxSteps(200)
                  .build());
      assertThat(r.steps()).isEqualTo(200);
      assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.MAX_STEPS);
      if (whole == null) {
        whole = r.point();
      } else {
        for (int i = 0; i < whole.length; i++) {
          assertThat(r.point()[i]).as("parts=%d w%d", parts, i).isCloseTo(whole[i], within(1e-9));
        }
      }
    }
  }

  @Test
  void everyGradientIsTimedIntoTheSloBuckets() throws Exception {
    GradientOptimizer timed =
        GradientOptimizer.builder("timed", pool).meterRegistry(registry).ticker(now::get).build();
    GradientOptimizerResult r =
        timed
            .submit(
                GradientOptimizerJob.builder(
                        (x, g) -> {
                          now.addAndGet(TimeUnit.MILLISECONDS.toNanos(400));
                          return bowl(x, g);
                        },
                        new double[] {0, 0, 0})
                    .method(GradientOptimizerMethod.gradientDescent(0.1))
                    .maxSteps(9)
                    .build())
            .get(10, TimeUnit.SECONDS);
    assertThat(r.evaluations()).isEqualTo(10);
    Timer timer =
        registry
            .get(MetricNames.OPTIMIZER_GRADIENT_DURATION)
            .tag(MetricNames.TAG_OPTIMIZER, "timed")
            .timer();
    assertThat(timer.count()).isEqualTo(10);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4_000);
    double target = Perf008.KeyMetric.GRADIENT_DURATION.target();
    double alert = Perf008.KeyMetric.GRADIENT_DURATION.alert();
    boolean sawTarget = false;
    boolean sawAlert = false;
    for (CountAtBucket b : timer.takeSnapshot().histogramCounts()) {
      double upper = b.bucket(TimeUnit.SECONDS);
      if (Math.abs(upper - target) < 1e-9) {
        sawTarget = true;
        assertThat(b.count()).isZero();
      }
      if (Math.abs(upper - alert) < 1e-9) {
        sawAlert = true;
        assertThat(b.count()).isEqualTo(10);
      }
    }
    assertThat(sawTarget).as("bucket at the target").isTrue();
    assertThat(sawAlert).as("bucket at the alert threshold").isTrue();
  }

  @Test
  void deadlineStopsTheJobAndReturnsThePointReached() throws Exception {
    GradientOptimizer timed =
        GradientOptimizer.builder("deadline", pool)
            .meterRegistry(registry)
            .ticker(now::get)
            .build();
    GradientOptimizerResult r =
        timed
            .submit(
                GradientOptimizerJob.builder(
                        (x, g) -> {
                          now.addAndGet(TimeUnit.SECONDS.toNanos(1));
                          return bowl(x, g);
                        },
                        new double[] {0, 0, 0})
                    .method(GradientOptimizerMethod.gradientDescent(0.01))
                    .deadline(Duration.ofSeconds(5))
                    .build())
            .get(10, TimeUnit.SECONDS);
    assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.DEADLINE);
    assertThat(r.steps()).isEqualTo(4);
    assertThat(r.evaluations()).isEqualTo(5);
    assertThat(r.converged()).isFalse();
  }

  @Test
  void stepToleranceStopsAStalledJob() throws Exception {
    GradientOptimizerResult r =
        run(
            GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[] {0, 0, 0})
                .method(GradientOptimizerMethod.gradientDescent(1e-3))
                .stepTolerance(1e-2)
                .build());
    assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.STEP_TOLERANCE);
    assertThat(r.evaluations()).isEqualTo(r.steps() + 1);
  }

  @Test
  void divergenceFailsTheJobWithAnArithmeticException() {
    assertThatThrownBy(
            () ->
                run(
                    GradientOptimizerJob.builder(
                            GradientOptimizerTest::bowl, new double[] {1, 1, 1})
                        .method(GradientOptimizerMethod.gradientDescent(10))
                        .maxSteps(100_000)
                        .build()))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ArithmeticException.class);
  }

  @Test
  void objectiveExceptionsFailTheJobWholeOrSplit() {
    assertThatThrownBy(
            () ->
                run(
                    GradientOptimizerJob.builder(
                            (x, g) -> {
                              throw new IllegalStateException("model gone");
                            },
                            new double[] {1})
                        .build()))
        .hasCauseInstanceOf(IllegalStateException.class);
    GradientOptimizer.BatchObjective failingPart =
        new GradientOptimizer.BatchObjective() {
          @Override
          public int size() {
            return 100;
          }

          @Override
          public double evaluate(double[] x, int from, int to, double[] gradient) {
            if (from >= 50) {
              throw new IllegalStateException("shard " + from + " unreadable");
            }
            return 0;
          }
        };
    assertThatThrownBy(
            () -> run(GradientOptimizerJob.builder(failingPart, new double[] {1}).parts(4).build()))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unreadable");
  }

  @Test
  void cancellingAJobInterruptsItsObjective() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    var f =
        optimizer.submit(
            GradientOptimizerJob.builder(
                    (x, g) -> {
                      entered.countDown();
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                      }
                      return 0;
                    },
                    new double[] {1})
                .build());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(f.cancel(true)).isTrue();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
  }

  @Test
  void badSettingsFailAtOnceWithTheRange() {
    assertThatThrownBy(() -> GradientOptimizerMethod.gradientDescent(0))
        .hasMessageContaining("positive and finite, got 0.0");
    assertThatThrownBy(() -> GradientOptimizerMethod.momentum(0.1, 1))
        .hasMessageContaining("[0, 1), got 1.0");
    assertThatThrownBy(() -> GradientOptimizerMethod.adam(0.1, 0.9, 0.999, 0))
        .hasMessageContaining("epsilon");
    assertThatThrownBy(
            () -> GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[0]))
        .hasMessageContaining("at least one coordinate");
    assertThatThrownBy(
            () ->
                GradientOptimizerJob.builder(
                    GradientOptimizerTest::bowl, new double[] {Double.NaN}))
        .hasMessageContaining("finite, got NaN at index 0");
    assertThatThrownBy(
            () ->
                GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[] {1})
                    .maxSteps(0))
        .hasMessageContaining("at least 1, got 0");
    assertThatThrownBy(
            () ->
                GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[] {1})
                    .gradientTolerance(-1))
        .hasMessageContaining("zero or more");
    assertThatThrownBy(
            () ->
                GradientOptimizerJob.builder(GradientOptimizerTest::bowl, new double[] {1})
                    .parts(2)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BatchObjective");
    assertThatThrownBy(() -> GradientOptimizer.builder("bad name", pool))
        .hasMessageContaining("[A-Za-z0-9._-]");
  }
}
