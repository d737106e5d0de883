package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deadlines on the sweeper, tombstones in the queue, deadline bounds, the queue-wait histogram. */
class WorkerPoolDeadlineTest {

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
        WorkerPool.builder("dl")
            .threads(threads)
            .queueCapacity(capacity)
            .ticker(fake)
            .meterRegistry(registry)
            .build();
    return pool;
  }

  /** Runs until released or interrupted; says which. */
  private static final class Blocker implements Runnable {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);

    @Override
    public void run() {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch reached").isTrue();
  }

  @Test
  void aRunningTasksDeadlineFollowsTheTickerNotTheWallClock() throws Exception {
    pool(1, 4);
    Blocker slow = new Blocker();
    CompletableFuture<Void> f = pool.submit(slow, Duration.ofHours(1));
    await(slow.started);
    now.addAndGet(TimeUnit.HOURS.toNanos(2));
    await(slow.interrupted);
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("deadline of 3600000 ms while running");
  }

  @Test
  void aQueuedTaskIsDroppedWhenTheTickerPassesItsDeadline() throws Exception {
    pool(1, 4);
    Blocker busy = new Blocker();
    assertThat(pool.submit(busy)).isNotNull();
    await(busy.started);
    AtomicInteger ran = new AtomicInteger();
    CompletableFuture<Integer> late = pool.submit(ran::incrementAndGet, Duration.ofHours(1));
    now.addAndGet(TimeUnit.HOURS.toNanos(2));
    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("while queued");
    assertThat(pool.backlog()).isZero();
    busy.release.countDown();
    assertThat(pool.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(ran).hasValue(0);
  }

  @Test
  void expiredQueuedTasksGiveTheirQueueSlotsBackWhileWorkersStayBusy() throws Exception {
    pool(1, 2);
    Blocker busy = new Blocker();
    assertThat(pool.submit(busy)).isNotNull();
    await(busy.started);
    CompletableFuture<Integer> a = pool.submit(() -> 1, Duration.ofSeconds(1));
    CompletableFuture<Integer> b = pool.submit(() -> 2, Duration.ofSeconds(1));
    assertThatThrownBy(() -> pool.submit(() -> 3)).isInstanceOf(WorkerPoolRejectedException.class);
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    Await.await(() -> a.isDone() && b.isDone());
    assertThat(pool.backlog()).isZero();
    assertThat(pool.queuedEntries()).as("tombstones until a submit needs the room").isEqualTo(2);
    CompletableFuture<Integer> c = pool.submit(() -> 3);
    CompletableFuture<Integer> d = pool.submit(() -> 4);
    assertThat(pool.backlog()).isEqualTo(2);
    assertThat(registry.get(MetricNames.WORKER_REJECTED).functionCounter().count()).isEqualTo(1);
    busy.release.countDown();
    assertThat(c.get(10, TimeUnit.SECONDS) + d.get(10, TimeUnit.SECONDS)).isEqualTo(7);
  }

  @Test
  void aCallerRunTaskPastItsDeadlineIsInterrupted() throws Exception {
    pool =
        WorkerPool.builder("dl")
            .threads(1)
            .queueCapacity(1)
            .backPressure(WorkerPool.BackPressure.CALLER_RUNS)
            .ticker(fake)
            .meterRegistry(registry)
            .build();
    Blocker busy = new Blocker();
    assertThat(pool.submit(busy)).isNotNull();
    await(busy.started);
    assertThat(pool.submit(() -> 0)).isNotNull();
    Blocker inCaller = new Blocker();
    AtomicReference<CompletableFuture<Void>> submitted = new AtomicReference<>();
    Thread caller =
        new Thread(() -> submitted.set(pool.submit(inCaller, Duration.ofSeconds(1))), "caller");
    caller.start();
    await(inCaller.started);
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    await(inCaller.interrupted);
    caller.join(TimeUnit.SECONDS.toMillis(10));
    assertThatThrownBy(() -> submitted.get().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class);
    busy.release.countDown();
  }

  @Test
  void aStolenTaskStaysQueuedAsATombstoneThatTheWorkerSkips() throws Exception {
    pool(1, 4);
    Blocker busy = new Blocker();
    assertThat(pool.submit(busy)).isNotNull();
    await(busy.started);
    AtomicInteger runs = new AtomicInteger();
    WorkerTask<Integer> part = pool.offerInternal(runs::incrementAndGet);
    assertThat(part).isNotNull();
    assertThat(pool.backlog()).isEqualTo(1);

    assertThat(part.runIfUnclaimed()).isTrue();

    assertThat(pool.queuedEntries()).as("no search through the queue").isEqualTo(1);
    assertThat(pool.backlog()).as("tombstones are not backlog").isZero();
    assertThat(part.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    busy.release.countDown();
    Await.await(() -> pool.queuedEntries() == 0);
    assertThat(pool.submit(runs::get).get(10, TimeUnit.SECONDS))
        .as("ran exactly once")
        .isEqualTo(1);
    assertThat(pool.backlog()).isZero();
    Blocker again = new Blocker();
    assertThat(pool.submit(again)).isNotNull();
    await(again.started);
    assertThat(pool.submit(() -> 1)).isNotNull();
    assertThat(pool.backlog()).as("the tombstone count is back to zero").isEqualTo(1);
    again.release.countDown();
  }

  @Test
  void deadlinesAboveOneDayAreRejectedWithTheRangeBeforeTheyCanOverflow() {
    pool(1, 1);
    assertThatThrownBy(() -> pool.submit(() -> 1, Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive and at most PT24H, got PT48H");
    assertThatThrownBy(() -> pool.submit(() -> {}, Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most PT24H");
    assertThatThrownBy(() -> pool.submit(() -> 1, Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got PT-0.000000001S");
    assertThat(pool.submit(() -> 1, WorkerPool.MAX_DEADLINE).join()).isEqualTo(1);
  }

  @Test
  void queueWaitPublishesAPercentileHistogramOnlyWhenAskedTo() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    pool = WorkerPool.builder("dl").threads(1).meterRegistry(prometheus).build();
    assertThat(pool.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(prometheus.scrape())
        .contains("chimera_worker_queue_wait_seconds_count{pool=\"dl\"} 1")
        .doesNotContain("chimera_worker_queue_wait_seconds_bucket");
    pool.shutdown(Duration.ofSeconds(5));
    pool =
        WorkerPool.builder("dl")
            .threads(1)
            .queueWaitHistogram(true)
            .meterRegistry(prometheus)
            .build();
    assertThat(pool.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(prometheus.scrape())
        .contains("chimera_worker_queue_wait_seconds_bucket{pool=\"dl\",le=\"+Inf\"} 1");
  }
}
