package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Builder set-once rules, the job deadline in the pool's queue, and close. */
class GradientOptimizerLifecycleTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final Ticker fake = now::get;
  private final WorkerPool pool =
      WorkerPool.builder("opt-life").threads(1).ticker(fake).meterRegistry(registry).build();
  private final GradientOptimizer optimizer =
      GradientOptimizer.builder("life", pool).ticker(fake).meterRegistry(registry).build();

  @AfterEach
  void close() {
    optimizer.close();
    pool.close();
  }

  private static double bowl(double[] x, double[] g) {
    g[0] = 2 * (x[0] - 3);
    return (x[0] - 3) * (x[0] - 3);
  }

  @Test
  void builderSettingsFailWhenSetTwice() {
    assertThatThrownBy(() -> GradientOptimizer.builder("o", pool).ticker(fake).ticker(fake))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ticker was already set");
    assertThatThrownBy(
            () ->
                GradientOptimizer.builder("o", pool)
                    .meterRegistry(registry)
                    .meterRegistry(registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("meterRegistry was already set");
    GradientOptimizerJob.Builder job =
        GradientOptimizerJob.builder(GradientOptimizerLifecycleTest::bowl, new double[] {0});
    assertThatThrownBy(() -> job.maxSteps(0)).isInstanceOf(IllegalArgumentException.class);
    job.maxSteps(10);
    assertThatThrownBy(() -> job.maxSteps(20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxSteps was already set");
    job.deadline(Duration.ofSeconds(1));
    assertThatThrownBy(() -> job.deadline(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deadline was already set");
  }

  @Test
  void jobDeadlineHasThePoolsRange() {
    GradientOptimizerJob.Builder job =
        GradientOptimizerJob.builder(GradientOptimizerLifecycleTest::bowl, new double[] {0});
    assertThatThrownBy(() -> job.deadline(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive and at most PT24H");
  }

  @Test
  void aJobStillQueuedAtItsDeadlineIsDroppedWithATimeout() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> busy =
        pool.submit(
            () -> {
              started.countDown();
              release.await();
              return "busy";
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicInteger evaluations = new AtomicInteger();
    CompletableFuture<GradientOptimizerResult> f =
        optimizer.submit(
            GradientOptimizerJob.builder(
                    (x, g) -> {
                      evaluations.incrementAndGet();
                      return bowl(x, g);
                    },
                    new double[] {0})
                .deadline(Duration.ofSeconds(1))
                .build());
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    release.countDown();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("while queued");
    assertThat(evaluations).hasValue(0);
    assertThat(busy.get(10, TimeUnit.SECONDS)).isEqualTo("busy");
  }

  @Test
  void aRunningJobPastItsDeadlineIsNotInterruptedAndReturnsThePointReached() throws Exception {
    GradientOptimizerResult r =
        optimizer
            .submit(
                GradientOptimizerJob.builder(
                        (x, g) -> {
                          now.addAndGet(TimeUnit.SECONDS.toNanos(10));
                          // the sweeper looks every 10 ms; an interrupt here would fail the job
                          boolean released =
                              new CountDownLatch(1).await(100, TimeUnit.MILLISECONDS);
                          assertThat(released).isFalse();
                          return bowl(x, g);
                        },
                        new double[] {0})
                    .deadline(Duration.ofSeconds(5))
                    .build())
            .get(10, TimeUnit.SECONDS);
    assertThat(r.stopReason()).isEqualTo(GradientOptimizerResult.StopReason.DEADLINE);
    assertThat(r.evaluations()).isEqualTo(1);
  }

  @Test
  void closeRemovesTheTimerAndLaterSubmitsFail() {
    GradientOptimizer closing =
        GradientOptimizer.builder("closing", pool).meterRegistry(registry).build();
    assertThat(
            registry
                .find(MetricNames.OPTIMIZER_GRADIENT_DURATION)
                .tag(MetricNames.TAG_OPTIMIZER, "closing")
                .timer())
        .isNotNull();
    closing.close();
    closing.close();
    assertThat(
            registry
                .find(MetricNames.OPTIMIZER_GRADIENT_DURATION)
                .tag(MetricNames.TAG_OPTIMIZER, "closing")
                .timer())
        .isNull();
    assertThatThrownBy(
            () ->
                closing.submit(
                    GradientOptimizerJob.builder(
                            GradientOptimizerLifecycleTest::bowl, new double[] {0})
                        .build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'closing' is closed");
  }
}
