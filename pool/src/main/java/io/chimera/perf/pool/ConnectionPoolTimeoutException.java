package io.chimera.perf.pool;

import java.time.Duration;
import java.util.Optional;

/**
 * No connection became available within the acquire timeout. The message names the pool, the wait,
 * and the last connection-creation failure, which is also the {@linkplain #getCause() cause}.
 */
public final class ConnectionPoolTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String pool;
  private final long waitedNanos;

  ConnectionPoolTimeoutException(
      String pool, long waitedNanos, int active, int max, Throwable lastCreationFailure) {
    super(message(pool, waitedNanos, active, max, lastCreationFailure), lastCreationFailure);
    this.pool = pool;
    this.waitedNanos = waitedNanos;
  }

  private static String message(
      String pool, long waitedNanos, int active, int max, Throwable failure) {
    String text =
        "pool '"
            + pool
            + "': no connection available after waiting "
            + waitedNanos / 1_000_000
            + " ms ("
            + active
            + " of "
            + max
            + " in use)";
    return failure == null ? text : text + "; last connection attempt failed: " + failure;
  }

  /**
   * The pool's name.
   *
   * @return the name given to the builder
   */
  public String pool() {
    return pool;
  }

  /**
   * How long the caller waited.
   *
   * @return the wait
   */
  public Duration waited() {
    return Duration.ofNanos(waitedNanos);
  }

  /**
   * The last connection-creation failure, if creation had failed since the last success.
   *
   * @return the failure, or empty
   */
  public Optional<Throwable> lastCreationFailure() {
    return Optional.ofNullable(getCause());
  }
}
