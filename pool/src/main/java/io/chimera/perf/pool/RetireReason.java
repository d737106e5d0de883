package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;

/**
 * Why a pooled connection was retired: the {@code reason} tag value of {@code
 * chimera.pool.evictions}, the same for the generic pool and the JDBC pool.
 */
enum RetireReason {
  /** Idle longer than the idle timeout while the pool held more than its minimum. */
  IDLE_TIMEOUT(MetricNames.REASON_IDLE_TIMEOUT),
  /** Reached its (jittered) maximum lifetime. */
  MAX_LIFETIME(MetricNames.REASON_MAX_LIFETIME),
  /** A validation (on borrow or keepalive) said no or failed. */
  VALIDATION_FAILED(MetricNames.REASON_VALIDATION_FAILED),
  /** Invalidated by its user, or seen failing with a connection-loss error. */
  BROKEN(MetricNames.REASON_BROKEN),
  /** Evicted on request (for example HikariCP's soft eviction). */
  EVICTED(MetricNames.REASON_EVICTED),
  /** Retired because the pool closed. */
  SHUTDOWN(MetricNames.REASON_SHUTDOWN);

  private final String tag;

  RetireReason(String tag) {
    this.tag = tag;
  }

  /** The tag value. */
  String tag() {
    return tag;
  }
}
