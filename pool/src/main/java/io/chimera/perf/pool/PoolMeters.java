package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The PERF-008 pool meters, identical for {@link ConnectionPool} and {@link JdbcPool} so one
 * dashboard covers both. Created once per pool; gauges and counters read the pool's own state at
 * scrape time, so recording on the hot path is one {@link Timer#record} and nothing else.
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
  private final Timer acquireSuccess;
  private final Timer acquireTimeout;
  private final Timer acquireError;
  private final EnumMap<RetireReason, LongAdder> evictions = new EnumMap<>(RetireReason.class);
  private final LongAdder creationSuccesses = new LongAdder();
  private final LongAdder creationFailures = new LongAdder();

  PoolMeters(MeterRegistry registry, String pool, String provider, Tags extra, Source source) {
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
    acquireSuccess = acquireTimer(tags, MetricNames.OUTCOME_SUCCESS);
    acquireTimeout = acquireTimer(tags, MetricNames.OUTCOME_TIMEOUT);
    acquireError = acquireTimer(tags, MetricNames.OUTCOME_ERROR);
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

  private Timer acquireTimer(Tags tags, String outcome) {
    Timer timer =
        Timer.builder(MetricNames.POOL_ACQUIRE)
            .description("Time to acquire a connection, by outcome")
            .tags(tags)
            .tag(MetricNames.TAG_OUTCOME, outcome)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    meters.add(timer);
    return timer;
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
    acquireSuccess.record(nanos, TimeUnit.NANOSECONDS);
  }

  void timedOut(long nanos) {
    acquireTimeout.record(nanos, TimeUnit.NANOSECONDS);
  }

  void failed(long nanos) {
    acquireError.record(nanos, TimeUnit.NANOSECONDS);
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
