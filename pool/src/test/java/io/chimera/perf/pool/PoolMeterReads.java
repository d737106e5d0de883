package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads the pool meters in tests. */
final class PoolMeterReads {
  private PoolMeterReads() {}

  /** {@code chimera.pool.evictions} for one reason (one pool on the registry). */
  static double retired(MeterRegistry registry, RetireReason reason) {
    return registry
        .get(MetricNames.POOL_EVICTIONS)
        .tag(MetricNames.TAG_REASON, reason.tag())
        .functionCounter()
        .count();
  }
}
