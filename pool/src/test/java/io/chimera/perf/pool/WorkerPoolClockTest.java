package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker reads the ticker once between tasks it takes back to back; queue wait and run time must
 * still mean what they say.
 */
class WorkerPoolClockTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final Ticker fake = now::get;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private WorkerPool pool;

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.shutdown(Duration.ofSeconds(5));
    }
  }

  /** A one-thread pool whose worker is busy until {@link #release}. */
  private void busyPool() throws InterruptedException {
    pool =
        WorkerPool.builder("clock")
            .threads(1)
            .queueCapacity(8)
            .ticker(fake)
            .meterRegistry(registry)
            .build();
    CompletableFuture<Integer> busy =
        pool.submit(
            () -> {
              started.countDown();
              release.await();
              return 0;
            });
    assertThat(busy).isNotNull();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
  }

  private static long millis(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }

  private FunctionTimer queueWait() {
    return registry.get(MetricNames.WORKER_QUEUE_WAIT).functionTimer();
  }

  private FunctionTimer successes() {
    return registry
        .get(MetricNames.WORKER_TASKS)
        .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_SUCCESS)
        .functionTimer();
  }

  @Test
  void backToBackTasksSplitWaitAndRunTimeExactly() throws Exception {
    busyPool();
    CompletableFuture<Integer> first =
        pool.submit(
            () -> {
              now.addAndGet(millis(30));
              return 1;
            });
    now.addAndGet(millis(100));
    CompletableFuture<Integer> second = pool.submit(() -> 2);
    now.addAndGet(millis(150));
    release.countDown(); // the worker takes first and second without blocking
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(first.join()).isEqualTo(1);
    // busy 0; first 250; second 280 - 100
    assertThat(queueWait().count()).isEqualTo(3);
    assertThat(queueWait().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(430);
    // busy 250; first 30; second 0
    assertThat(successes().count()).isEqualTo(3);
    assertThat(successes().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(280);
  }

  @Test
  void aDependentStageRunByTheWorkerIsQueueWaitOfTheNextTaskNotRunTime() throws Exception {
    busyPool();
    CompletableFuture<Integer> first = pool.submit(() -> 1);
    CompletableFuture<Void> stage = first.thenRun(() -> now.addAndGet(millis(40)));
    CompletableFuture<Integer> second = pool.submit(() -> 2);
    now.addAndGet(millis(250));
    release.countDown();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    stage.get(10, TimeUnit.SECONDS);
    // busy 0; first 250; second 250 + the 40 first's stage took
    assertThat(queueWait().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(540);
    // busy 250; first 0; second 0
    assertThat(successes().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
  }
}
