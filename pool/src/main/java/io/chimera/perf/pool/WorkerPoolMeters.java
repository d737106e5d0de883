package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The worker-pool meters, created once per pool; recording adds no registry look-up. Queue wait and
 * run times are function timers (count and total) over each worker's own {@link WorkerTallies} plus
 * a shared {@link Tally} for other threads, unless the pool publishes the queue-wait histogram.
 */
final class WorkerPoolMeters {

  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int TIMEOUT = 2;
  static final int CANCELLED = 3;
  static final int OUTCOME_COUNT = 4;

  private static final String[] OUTCOMES = {
    MetricNames.OUTCOME_SUCCESS,
    MetricNames.OUTCOME_FAILURE,
    MetricNames.OUTCOME_TIMEOUT,
    MetricNames.OUTCOME_CANCELLED
  };

  private final MeterRegistry registry;
  private final @Nullable Timer queueWaitHistogram;
  private final WorkerTallies[] owned;
  private final Tally[] shared = new Tally[WorkerTallies.QUEUE_WAIT + 1];
  private final LongAdder rejected = new LongAdder();
  private final List<Meter> meters = new ArrayList<>();

  WorkerPoolMeters(MeterRegistry registry, WorkerPool pool, int threads, boolean histogram) {
    this.registry = registry;
    this.owned = new WorkerTallies[threads];
    for (int i = 0; i < threads; i++) {
      owned[i] = new WorkerTallies();
    }
    for (int i = 0; i < shared.length; i++) {
      shared[i] = new Tally();
    }
    String name = pool.name();
    String waitDescription = "Time a task waited in the worker queue before it started";
    if (histogram) {
      queueWaitHistogram =
          Timer.builder(MetricNames.WORKER_QUEUE_WAIT)
              .description(waitDescription)
              .tag(MetricNames.TAG_POOL, name)
              .publishPercentileHistogram() // dashboards take its P95 from the buckets
              .register(registry);
      meters.add(queueWaitHistogram);
    } else {
      queueWaitHistogram = null;
      meters.add(
          series(MetricNames.WORKER_QUEUE_WAIT, WorkerTallies.QUEUE_WAIT)
              .description(waitDescription)
              .tag(MetricNames.TAG_POOL, name)
              .register(registry));
    }
    for (int i = 0; i < OUTCOMES.length; i++) {
      meters.add(
          series(MetricNames.WORKER_TASKS, i)
              .description("Task run time by outcome; tasks that never started record zero")
              .tag(MetricNames.TAG_POOL, name)
              .tag(MetricNames.TAG_OUTCOME, OUTCOMES[i])
              .register(registry));
    }
    meters.add(
        FunctionCounter.builder(MetricNames.WORKER_REJECTED, rejected, LongAdder::sum)
            .description("Submissions the full queue refused, whatever the back-pressure did")
            .tag(MetricNames.TAG_POOL, name)
            .register(registry));
    meters.add(
        Gauge.builder(MetricNames.WORKER_QUEUE_BACKLOG, pool, WorkerPool::backlog)
            .description("Tasks queued and not yet started")
            .tag(MetricNames.TAG_POOL, name)
            .register(registry));
    meters.add(
        Gauge.builder(MetricNames.WORKER_ACTIVE, pool, WorkerPool::active)
            .description("Tasks running now")
            .tag(MetricNames.TAG_POOL, name)
            .register(registry));
  }

  /** The tallies worker {@code index} (from 0) alone writes. */
  WorkerTallies owned(int index) {
    return owned[index];
  }

  /**
   * Records a queue wait.
   *
   * @param own the recording worker's tallies, or null on any other thread
   */
  void queueWait(@Nullable WorkerTallies own, long nanos) {
    Timer h = queueWaitHistogram;
    if (h != null) {
      h.record(nanos, TimeUnit.NANOSECONDS);
    } else if (own != null) {
      own.record(WorkerTallies.QUEUE_WAIT, nanos);
    } else {
      shared[WorkerTallies.QUEUE_WAIT].record(nanos);
    }
  }

  /**
   * Records a task's outcome and run time.
   *
   * @param own the recording worker's tallies, or null on any other thread
   */
  void task(@Nullable WorkerTallies own, int outcome, long nanos) {
    if (own != null) {
      own.record(outcome, nanos);
    } else {
      shared[outcome].record(nanos);
    }
  }

  void rejected() {
    rejected.increment();
  }

  void remove() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
  }

  private long count(int series) {
    long n = shared[series].count();
    for (WorkerTallies t : owned) {
      n += t.count(series);
    }
    return n;
  }

  private double totalNanos(int series) {
    double total = shared[series].totalNanos();
    for (WorkerTallies t : owned) {
      total += t.nanos(series);
    }
    return total;
  }

  private FunctionTimer.Builder<WorkerPoolMeters> series(String name, int series) {
    return FunctionTimer.builder(
        name, this, m -> m.count(series), m -> m.totalNanos(series), TimeUnit.NANOSECONDS);
  }
}
