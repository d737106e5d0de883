package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final Ticker fake = now::get;
  private WorkerPool pool;

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.shutdown(Duration.ofSeconds(5));
    }
  }

  private WorkerPool pool(int threads, int capacity) {
    pool =
        WorkerPool.builder("test")
            .threads(threads)
            .queueCapacity(capacity)
            .ticker(fake)
            .meterRegistry(registry)
            .build();
    return pool;
  }

  /** A task that signals when it starts and then waits for {@code release}, interruptibly. */
  private static final class Blocker implements Runnable {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final String label;

    Blocker(String label) {
      this.label = label;
    }

    @Override
    public void run() {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private void runTask(Runnable task) {
    assertThat(pool.submit(task)).isNotNull();
  }

  private void callTask(java.util.concurrent.Callable<?> task) {
    assertThat(pool.submit(task)).isNotNull();
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch reached").isTrue();
  }

  private FunctionTimer tasks(String outcome) {
    return registry
        .get(MetricNames.WORKER_TASKS)
        .tag(MetricNames.TAG_OUTCOME, outcome)
        .tag(MetricNames.TAG_POOL, "test")
        .functionTimer();
  }

  private double gauge(String name) {
    return registry.get(name).tag(MetricNames.TAG_POOL, "test").gauge().value();
  }

  @Test
  void runsCallablesAndRunnablesOnNamedThreads() throws Exception {
    pool(2, 4);
    AtomicReference<String> thread = new AtomicReference<>();
    assertThat(pool.submit(() -> 6 * 7).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    pool.submit(() -> thread.set(Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
    assertThat(thread.get()).matches("chimera-test-[12]");
    assertThat(tasks(MetricNames.OUTCOME_SUCCESS).count()).isEqualTo(2);
  }

  @Test
  void taskExceptionFailsOnlyItsFutureAndCountsAFailure() throws Exception {
    pool(1, 4);
    CompletableFuture<Object> f =
        pool.submit(
            () -> {
              throw new IllegalStateException("boom");
            });
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(pool.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(tasks(MetricNames.OUTCOME_FAILURE).count()).isEqualTo(1);
  }

  @Test
  void errorsReachTheUncaughtExceptionHandlerAndTheFuture() throws Exception {
    List<Throwable> seen = new CopyOnWriteArrayList<>();
    pool =
        WorkerPool.builder("test")
            .threads(1)
            .meterRegistry(registry)
            .uncaughtExceptionHandler((t, e) -> seen.add(e))
            .build();
    CompletableFuture<Void> f =
        pool.submit(
            (Runnable)
                () -> {
                  throw new AssertionError("bad");
                });
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AssertionError.class);
    Await.await(() -> seen.size() == 1);
    assertThat(seen.get(0)).hasMessage("bad");
    assertThat(pool.submit(() -> 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void rejectionNamesBacklogAndLimitAndIsCounted() throws Exception {
    pool(1, 2);
    Blocker b = new Blocker("blocker");
    runTask(b);
    await(b.started);
    callTask(() -> 1);
    callTask(() -> 2);
    assertThatThrownBy(() -> pool.submit(() -> 3))
        .isInstanceOf(WorkerPoolRejectedException.class)
        .hasMessageContaining("'test'")
        .hasMessageContaining("backlog 2")
        .hasMessageContaining("limit 2");
    assertThat(registry.get(MetricNames.WORKER_REJECTED).functionCounter().count()).isEqualTo(1);
    assertThat(gauge(MetricNames.WORKER_QUEUE_BACKLOG)).isEqualTo(2);
    assertThat(gauge(MetricNames.WORKER_ACTIVE)).isEqualTo(1);
    b.release.countDown();
    Await.await(() -> gauge(MetricNames.WORKER_QUEUE_BACKLOG) == 0 && pool.active() == 0);
    assertThat(tasks(MetricNames.OUTCOME_SUCCESS).count()).isEqualTo(3);
  }

  @Test
  void blockPolicyTimesOutWithTheWaitInTheMessage() throws Exception {
    pool =
        WorkerPool.builder("test")
            .threads(1)
            .queueCapacity(1)
            .backPressure(WorkerPool.BackPressure.BLOCK, Duration.ofMillis(20))
            .meterRegistry(registry)
            .build();
    Blocker b = new Blocker("blocker");
    runTask(b);
    await(b.started);
    callTask(() -> 1);
    assertThatThrownBy(() -> pool.submit(() -> 2))
        .isInstanceOf(WorkerPoolRejectedException.class)
        .hasMessageContaining("stayed full for 20 ms");
    assertThat(registry.get(MetricNames.WORKER_REJECTED).functionCounter().count()).isEqualTo(1);
    b.release.countDown();
  }

  /** On a one-thread pool: a blocker runs, one task queues behind it for 250 ms of fake time. */
  private void queueOneTaskBehindABlockerFor250Ms() throws Exception {
    Blocker b = new Blocker("blocker");
    runTask(b);
    await(b.started);
    CompletableFuture<Integer> queued = pool.submit(() -> 1);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
    b.release.countDown();
    queued.get(10, TimeUnit.SECONDS);
  }

  @Test
  void queueWaitIsMeasuredWithTheTicker() throws Exception {
    pool(1, 4);
    queueOneTaskBehindABlockerFor250Ms();
    FunctionTimer wait = registry.get(MetricNames.WORKER_QUEUE_WAIT).functionTimer();
    assertThat(wait.count()).isEqualTo(2);
    assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
  }

  @Test
  void theQueueWaitHistogramIsOptInAndTimesEachTask() throws Exception {
    pool =
        WorkerPool.builder("hist")
            .threads(1)
            .queueCapacity(4)
            .ticker(fake)
            .queueWaitHistogram(true)
            .meterRegistry(registry)
            .build();
    queueOneTaskBehindABlockerFor250Ms();
    Timer wait = registry.get(MetricNames.WORKER_QUEUE_WAIT).timer();
    assertThat(wait.count()).isEqualTo(2);
    assertThat(wait.max(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThatThrownBy(
            () -> WorkerPool.builder("x").queueWaitHistogram(true).queueWaitHistogram(false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("queueWaitHistogram");
  }

  @Test
  void queuedTaskPastItsDeadlineIsDroppedWithATimeout() throws Exception {
    pool(1, 4);
    Blocker b = new Blocker("blocker");
    runTask(b);
    await(b.started);
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<Void> late = pool.submit(() -> ran.set(true), Duration.ofSeconds(1));
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    b.release.countDown();
    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("deadline of 1000 ms while queued");
    assertThat(pool.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(ran).isFalse();
    assertThat(tasks(MetricNames.OUTCOME_TIMEOUT).count()).isEqualTo(1);
    assertThat(pool.backlog()).isZero();
  }

  @Test
  void queuedTaskIsDroppedByTheDeadlineTimerWhileWorkersStayBusy() throws Exception {
    pool(1, 4);
    Blocker b = new Blocker("blocker");
    runTask(b);
    await(b.started);
    CompletableFuture<Integer> late = pool.submit(() -> 1, Duration.ofMillis(5));
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(6));
    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(pool.backlog()).isZero();
    assertThat(b.interrupted.getCount()).isEqualTo(1);
    b.release.countDown();
  }

  @Test
  void runningTaskPastItsDeadlineIsInterruptedOnlyOnceTheTickerSaysSo() throws Exception {
    pool(1, 4);
    Blocker slow = new Blocker("slow");
    CompletableFuture<Void> f = pool.submit(slow, Duration.ofMillis(5));
    await(slow.started);
    // the timer fires in real time, but the fake ticker has not moved: nothing expires
    CompletableFuture<Integer> probe = new CompletableFuture<>();
    assertThatThrownBy(() -> probe.get(30, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(f).isNotDone();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
    await(slow.interrupted);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("while running");
    Await.await(() -> tasks(MetricNames.OUTCOME_TIMEOUT).count() == 1);
    assertThat(pool.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS))
        .as("the worker's interrupt does not leak into the next task")
        .isFalse();
  }

  @Test
  void cancellingAQueuedTaskRemovesItAndItNeverRuns() throws Exception {
    pool(1, 4);
    Blocker b = new Blocker("blocker");
    runTask(b);
    await(b.started);
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<Void> queued = pool.submit(() -> ran.set(true));
    assertThat(pool.backlog()).isEqualTo(1);
    assertThat(queued.cancel(true)).isTrue();
    assertThat(pool.backlog()).isZero();
    assertThat(queued).isCancelled();
    b.release.countDown();
    assertThat(pool.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(ran).isFalse();
    assertThat(tasks(MetricNames.OUTCOME_CANCELLED).count()).isEqualTo(1);
  }

  @Test
  void cancellingARunningTaskInterruptsIt() throws Exception {
    pool(1, 4);
    Blocker b = new Blocker("running");
    CompletableFuture<Void> f = pool.submit(b);
    await(b.started);
    assertThat(f.cancel(true)).isTrue();
    await(b.interrupted);
    assertThat(f).isCancelled();
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    Await.await(() -> tasks(MetricNames.OUTCOME_CANCELLED).count() == 1);
    assertThat(tasks(MetricNames.OUTCOME_SUCCESS).count()).isZero();
    assertThat(f.cancel(true)).as("cancelling twice reports the cancelled state").isTrue();
  }

  @Test
  void cancellingADependentStageDoesNotTouchTheTask() throws Exception {
    pool(1, 4);
    Blocker b = new Blocker("running");
    CompletableFuture<Void> f = pool.submit(b);
    await(b.started);
    CompletableFuture<String> dependent = f.thenApply(v -> "x");
    assertThat(dependent.cancel(true)).isTrue();
    assertThat(f).isNotDone();
    b.release.countDown();
    f.get(10, TimeUnit.SECONDS);
    assertThat(b.interrupted.getCount()).isEqualTo(1);
  }

  @Test
  void shutdownFinishesQueuedWorkWithinTheGracePeriod() throws Exception {
    pool(2, 16);
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      callTask(done::incrementAndGet);
    }
    WorkerPoolShutdown report = pool.shutdown(Duration.ofSeconds(10));
    assertThat(report.clean()).isTrue();
    assertThat(done.get()).isEqualTo(10);
    assertThatThrownBy(() -> pool.submit(() -> 1))
        .isInstanceOf(WorkerPoolRejectedException.class)
        .hasMessageContaining("closed");
    assertThat(pool.shutdown(Duration.ZERO)).isSameAs(report);
    assertThat(registry.find(MetricNames.WORKER_QUEUE_BACKLOG).meters()).isEmpty();
  }

  @Test
  void shutdownPastTheGraceAbandonsQueuedInterruptsRunningAndReportsThem() throws Exception {
    pool(1, 8);
    Blocker running = new Blocker("running-task");
    CompletableFuture<Void> r = pool.submit(running);
    await(running.started);
    CompletableFuture<Void> q1 = pool.submit(new Blocker("queued-1"));
    CompletableFuture<Void> q2 = pool.submit(new Blocker("queued-2"));
    WorkerPoolShutdown report = pool.shutdown(Duration.ofMillis(20));
    assertThat(report.abandonedQueued()).containsExactly("queued-1", "queued-2");
    assertThat(report.interruptedRunning()).containsExactly("running-task");
    assertThat(report.terminated()).isTrue();
    assertThat(report.abandoned()).isEqualTo(3);
    assertThat(running.interrupted.getCount()).isZero();
    for (CompletableFuture<Void> f : List.of(r, q1, q2)) {
      assertThatThrownBy(f::join)
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void shutdownReportsWorkersThatIgnoreTheirInterrupt() throws Exception {
    pool(1, 8);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runTask(
        () -> {
          started.countDown();
          while (true) {
            try {
              release.await();
              return;
            } catch (InterruptedException ignoredOnPurpose) {
              // keep waiting: this task ignores interrupts
            }
          }
        });
    await(started);
    WorkerPoolShutdown report = pool.shutdown(Duration.ofMillis(20));
    assertThat(report.terminated()).isFalse();
    assertThat(report.clean()).isFalse();
    release.countDown();
  }

  @Test
  void submitArgumentsAreChecked() {
    pool(1, 1);
    assertThatThrownBy(() -> pool.submit(() -> 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> pool.submit((Runnable) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> pool.shutdown(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderRejectsBadValuesWithTheRange() {
    assertThatThrownBy(() -> WorkerPool.builder("bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[A-Za-z0-9._-]");
    assertThatThrownBy(() -> WorkerPool.builder("p").threads(0))
        .hasMessageContaining("1 to 1024, got 0");
    assertThatThrownBy(() -> WorkerPool.builder("p").queueCapacity(0))
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> WorkerPool.builder("p").backPressure(WorkerPool.BackPressure.BLOCK))
        .hasMessageContaining("BLOCK needs a timeout");
    assertThatThrownBy(
            () ->
                WorkerPool.builder("p")
                    .backPressure(WorkerPool.BackPressure.REJECT, Duration.ofSeconds(1)))
        .hasMessageContaining("only BLOCK");
    assertThatThrownBy(
            () ->
                WorkerPool.builder("p").backPressure(WorkerPool.BackPressure.BLOCK, Duration.ZERO))
        .hasMessageContaining("got PT0S");
    assertThatThrownBy(() -> WorkerPool.builder("p").threads(2).threads(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("threads was already set");
    assertThatThrownBy(() -> WorkerPool.builder("p").closeTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("zero to PT1H");
  }

  @Test
  void defaultsAreAvailableProcessorsAndDaemonThreadsWhenAsked() throws Exception {
    pool = WorkerPool.builder("test").daemon(true).meterRegistry(registry).build();
    assertThat(pool.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(pool.queueCapacity()).isEqualTo(WorkerPool.DEFAULT_QUEUE_CAPACITY);
    assertThat(pool.submit(() -> Thread.currentThread().isDaemon()).get(10, TimeUnit.SECONDS))
        .isTrue();
  }
}
