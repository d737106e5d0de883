package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The worker-pool meters, created once per pool; recording adds no registry look-up. */
final class WorkerPoolMeters {

  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int TIMEOUT = 2;
  static final int CANCELLED = 3;

  private static final String[] OUTCOMES = {
    MetricNames.OUTCOME_SUCCESS,
    MetricNames.OUTCOME_FAILURE,
    MetricNames.OUTCOME_TIMEOUT,
    MetricNames.OUTCOME_CANCELLED
  };

  private final MeterRegistry registry;
  private final Timer queueWait;
  private final Tally[] tasks = new Tally[OUTCOMES.length];
  private final LongAdder rejected = new LongAdder();
  private final List<Meter> meters = new ArrayList<>();

  WorkerPoolMeters(MeterRegistry registry, WorkerPool pool) {
    this.registry = registry;
    String name = pool.name();
    queueWait =
        Timer.builder(MetricNames.WORKER_QUEUE_WAIT)
            .description("Time a task waited in the worker queue before it started")
            .tag(MetricNames.TAG_POOL, name)
            .publishPercentileHistogram() // dashboards take its P95 from the buckets
            .register(registry);
    meters.add(queueWait);
    for (int i = 0; i < OUTCOMES.length; i++) {
      Tally tally = new Tally();
      tasks[i] = tally;
      meters.add(
          tally
              .timer(MetricNames.WORKER_TASKS)
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

  void queueWait(long nanos) {
    queueWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  void task(int outcome, long nanos) {
    tasks[outcome].record(nanos);
  }

  void rejected() {
    rejected.increment();
  }

  void remove() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
  }
}
