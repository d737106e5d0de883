package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The PERF-008 pool meters, identical for {@link ConnectionPool} and {@link JdbcPool} so one
 * dashboard covers both. Created once per pool; gauges, counters and the acquire timer read the
 * pool's own state at scrape time, so recording an acquire is one or two {@link LongAdder} adds.
 *
 * <p>{@code chimera.pool.acquire} is a {@link FunctionTimer} per outcome (count and total wait from
 * two {@link LongAdder}s), not a histogram {@code Timer}: with a percentile histogram every record
 * of a fast pool hit the same bucket of one shared array, which cost about 390 ns per acquire at
 * two threads (more than the acquire itself), and nothing reads the buckets: the PERF-008 average
 * wait and failure rate, the alert rules and the dashboards use {@code _count} and {@code _sum}
 * only, which a function timer exports under the same name and tags. A pool built with {@code
 * acquireHistogram(true)} publishes a percentile-histogram {@link Timer} under the same name and
 * tags instead, for the acquire-wait P95 panel, and pays for it on each acquire. An acquire served
 * at once by an idle connection did not wait and is counted with zero wait.
 */
final class PoolMeters {

  /**
   * What the gauges read. Held strongly by the gauges (Micrometer's default is weak, and a JDBC
   * pool's source has no other owner) until {@code close()} removes them.
   */
  interface Source {
    int activeConnections();

    int idleConnections();

    int pendingAcquires();

    int maxConnections();

    int staleConnections();
  }

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Tally acquireSuccess = new Tally();
  private final Tally acquireTimeout = new Tally();
  private final Tally acquireError = new Tally();
  private final @Nullable Timer successHistogram;
  private final @Nullable Timer timeoutHistogram;
  private final @Nullable Timer errorHistogram;
  private final EnumMap<RetireReason, LongAdder> evictions = new EnumMap<>(RetireReason.class);
  private final LongAdder creationSuccesses = new LongAdder();
  private final LongAdder creationFailures = new LongAdder();

  PoolMeters(
      MeterRegistry registry,
      String pool,
      String provider,
      Tags extra,
      Source source,
      boolean histogram) {
    this.registry = registry;
    Tags tags = Tags.of(MetricNames.TAG_POOL, pool, MetricNames.TAG_PROVIDER, provider).and(extra);
    String[] states = {MetricNames.STATE_ACTIVE, MetricNames.STATE_IDLE, MetricNames.STATE_PENDING};
    for (String state : states) {
      meters.add(
          Gauge.builder(MetricNames.POOL_CONNECTIONS, source, s -> connections(s, state))
              .description("Connections by state; pending counts callers waiting to acquire")
              .tags(tags)
              .tag(MetricNames.TAG_STATE, state)
              .strongReference(true)
              .register(registry));
    }
    meters.add(
        Gauge.builder(MetricNames.POOL_CONNECTIONS_MAX, source, Source::maxConnections)
            .description("Maximum pool size")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder(MetricNames.POOL_UTILIZATION, source, PoolMeters::utilization)
            .description("Active connections over the maximum pool size")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder(MetricNames.POOL_CONNECTIONS_STALE, source, Source::staleConnections)
            .description("Idle connections unused for longer than the stale threshold")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    successHistogram = acquireTimer(tags, MetricNames.OUTCOME_SUCCESS, acquireSuccess, histogram);
    timeoutHistogram = acquireTimer(tags, MetricNames.OUTCOME_TIMEOUT, acquireTimeout, histogram);
    errorHistogram = acquireTimer(tags, MetricNames.OUTCOME_ERROR, acquireError, histogram);
    for (RetireReason reason : RetireReason.values()) {
      LongAdder adder = new LongAdder();
      evictions.put(reason, adder);
      meters.add(
          FunctionCounter.builder(MetricNames.POOL_EVICTIONS, adder, LongAdder::sum)
              .description("Physical connections retired, by reason")
              .tags(tags)
              .tag(MetricNames.TAG_REASON, reason.tag())
              .register(registry));
    }
    meters.add(creationCounter(tags, MetricNames.OUTCOME_SUCCESS, creationSuccesses));
    meters.add(creationCounter(tags, MetricNames.OUTCOME_FAILURE, creationFailures));
  }

  /** Registers one outcome's acquire timer; returns it if it is a histogram, else null. */
  private @Nullable Timer acquireTimer(
      Tags tags, String outcome, Tally acquires, boolean histogram) {
    String description = "Time waited to acquire a connection, by outcome (zero when one was idle)";
    Tags all = tags.and(MetricNames.TAG_OUTCOME, outcome);
    if (histogram) {
      Timer timer =
          Timer.builder(MetricNames.POOL_ACQUIRE)
              .description(description)
              .tags(all)
              .publishPercentileHistogram()
              .register(registry);
      meters.add(timer);
      return timer;
    }
    meters.add(
        acquires
            .timer(MetricNames.POOL_ACQUIRE)
            .description(description)
            .tags(all)
            .register(registry));
    return null;
  }

  private static void record(Tally tally, @Nullable Timer histogram, long nanos) {
    if (histogram == null) {
      tally.record(nanos);
    } else {
      histogram.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
  }

  private FunctionCounter creationCounter(Tags tags, String outcome, LongAdder adder) {
    return FunctionCounter.builder(MetricNames.POOL_CREATIONS, adder, LongAdder::sum)
        .description("Physical connection creation attempts, by outcome")
        .tags(tags)
        .tag(MetricNames.TAG_OUTCOME, outcome)
        .register(registry);
  }

  private static double connections(Source s, String state) {
    return switch (state) {
      case MetricNames.STATE_ACTIVE -> s.activeConnections();
      case MetricNames.STATE_IDLE -> s.idleConnections();
      default -> s.pendingAcquires();
    };
  }

  private static double utilization(Source s) {
    int max = s.maxConnections();
    return max <= 0 ? 0 : (double) s.activeConnections() / max;
  }

  void acquired(long nanos) {
    record(acquireSuccess, successHistogram, nanos);
  }

  void timedOut(long nanos) {
    record(acquireTimeout, timeoutHistogram, nanos);
  }

  void failed(long nanos) {
    record(acquireError, errorHistogram, nanos);
  }

  void retired(RetireReason reason) {
    evictions.get(reason).increment();
  }

  long retirements(RetireReason reason) {
    return evictions.get(reason).sum();
  }

  void created() {
    creationSuccesses.increment();
  }

  void creationFailed() {
    creationFailures.increment();
  }

  long creations(boolean success) {
    return success ? creationSuccesses.sum() : creationFailures.sum();
  }

  /** Removes every meter from the registry. */
  void remove() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }
}
