package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class WorkerPoolFloodTest {

  private static final int SUBMITTERS = 6;
  private static final int PER_SUBMITTER = 3_000;
  private static final int CAPACITY = 16;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** What one flood did, counted by the test itself. */
  private static final class Flood {
    final AtomicIntegerArray runs = new AtomicIntegerArray(SUBMITTERS * PER_SUBMITTER);
    final AtomicIntegerArray accepted = new AtomicIntegerArray(SUBMITTERS * PER_SUBMITTER);
    final LongAdder rejected = new LongAdder();
    final LongAdder ranInCaller = new LongAdder();
    final AtomicInteger maxBacklog = new AtomicInteger();
    final List<CompletableFuture<Void>> futures = new ArrayList<>();
  }

  private Flood flood(WorkerPool pool) throws Exception {
    Flood f = new Flood();
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                double backlog = registry.get(MetricNames.WORKER_QUEUE_BACKLOG).gauge().value();
                f.maxBacklog.accumulateAndGet((int) backlog, Math::max);
              }
            });
    sampler.start();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < SUBMITTERS; s++) {
      int base = s * PER_SUBMITTER;
      Thread t =
          new Thread(
              () -> {
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < PER_SUBMITTER; i++) {
                  int id = base + i;
                  try {
                    mine.add(
                        pool.submit(
                            () -> {
                              f.runs.incrementAndGet(id);
                              if (!Thread.currentThread().getName().startsWith("chimera-flood")) {
                                f.ranInCaller.increment();
                              }
                            }));
                    f.accepted.set(id, 1);
                  } catch (WorkerPoolRejectedException e) {
                    assertThat(e.limit()).isEqualTo(CAPACITY);
                    assertThat(e.backlog()).isLessThanOrEqualTo(CAPACITY);
                    f.rejected.increment();
                  }
                }
                synchronized (f.futures) {
                  f.futures.addAll(mine);
                }
              });
      threads.add(t);
      t.start();
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    CompletableFuture.allOf(f.futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    done.set(true);
    sampler.join();
    return f;
  }

  private WorkerPoolBuilder builder() {
    return WorkerPool.builder("flood").threads(2).queueCapacity(CAPACITY).meterRegistry(registry);
  }

  private double rejectedMetric() {
    return registry.get(MetricNames.WORKER_REJECTED).functionCounter().count();
  }

  private long successes() {
    return (long)
        registry
            .get(MetricNames.WORKER_TASKS)
            .tag(MetricNames.TAG_OUTCOME, MetricNames.OUTCOME_SUCCESS)
            .functionTimer()
            .count();
  }

  @Test
  void rejectFloodNeverExceedsCapacityLosesNothingAndRunsEachAcceptedTaskOnce() throws Exception {
    try (WorkerPool pool = builder().build()) {
      Flood f = flood(pool);
      int accepted = 0;
      for (int id = 0; id < f.runs.length(); id++) {
        assertThat(f.runs.get(id)).as("runs of task %d", id).isEqualTo(f.accepted.get(id));
        accepted += f.accepted.get(id);
      }
      assertThat(accepted + f.rejected.sum()).isEqualTo((long) SUBMITTERS * PER_SUBMITTER);
      assertThat(f.rejected.sum()).isPositive();
      assertThat(f.maxBacklog.get()).isLessThanOrEqualTo(CAPACITY);
      assertThat((long) rejectedMetric()).isEqualTo(f.rejected.sum());
      assertThat(successes()).isEqualTo(accepted);
      // each worker counts on its own tallies; the meter sums them
      assertThat(registry.get(MetricNames.WORKER_QUEUE_WAIT).functionTimer().count())
          .isEqualTo(accepted);
      assertThat(f.ranInCaller.sum()).isZero();
    }
  }

  @Test
  void callerRunsFloodRunsEveryTaskExactlyOnceAndCountsTheOverflow() throws Exception {
    try (WorkerPool pool = builder().backPressure(WorkerPool.BackPressure.CALLER_RUNS).build()) {
      Flood f = flood(pool);
      for (int id = 0; id < f.runs.length(); id++) {
        assertThat(f.runs.get(id)).as("runs of task %d", id).isEqualTo(1);
      }
      assertThat(f.rejected.sum()).isZero();
      assertThat(f.maxBacklog.get()).isLessThanOrEqualTo(CAPACITY);
      assertThat((long) rejectedMetric()).isEqualTo(f.ranInCaller.sum());
      assertThat(successes()).isEqualTo((long) SUBMITTERS * PER_SUBMITTER);
    }
  }

  @Test
  void blockFloodWaitsForRoomAndRunsEveryTaskExactlyOnce() throws Exception {
    try (WorkerPool pool =
        builder().backPressure(WorkerPool.BackPressure.BLOCK, Duration.ofSeconds(30)).build()) {
      Flood f = flood(pool);
      for (int id = 0; id < f.runs.length(); id++) {
        assertThat(f.runs.get(id)).as("runs of task %d", id).isEqualTo(1);
      }
      assertThat(f.rejected.sum()).isZero();
      assertThat(f.ranInCaller.sum()).isZero();
      assertThat(f.maxBacklog.get()).isLessThanOrEqualTo(CAPACITY);
      assertThat(successes()).isEqualTo((long) SUBMITTERS * PER_SUBMITTER);
    }
  }
}
