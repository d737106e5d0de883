package io.chimera.perf.pool;

/**
 * Why a pooled connection was retired: the {@code reason} tag value of {@code
 * chimera.pool.evictions}, the same for the generic pool and the JDBC pool.
 */
enum RetireReason {
  /** Idle longer than the idle timeout while the pool held more than its minimum. */
  IDLE_TIMEOUT("idle_timeout"),
  /** Reached its (jittered) maximum lifetime. */
  MAX_LIFETIME("max_lifetime"),
  /** A validation (on borrow or keepalive) said no or failed. */
  VALIDATION_FAILED("validation_failed"),
  /** Invalidated by its user, or seen failing with a connection-loss error. */
  BROKEN("broken"),
  /** Evicted on request (for example HikariCP's soft eviction). */
  EVICTED("evicted"),
  /** Retired because the pool closed. */
  SHUTDOWN("shutdown");

  private final String tag;

  RetireReason(String tag) {
    this.tag = tag;
  }

  /** The tag value. */
  String tag() {
    return tag;
  }
}
