package io.chimera.perf.pool;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown by {@link WorkerPool#submit(java.util.concurrent.Callable)} when the pool refuses a task:
 * its queue was full under {@link WorkerPool.BackPressure#REJECT}, stayed full for the whole wait
 * under {@link WorkerPool.BackPressure#BLOCK}, or the pool was closed.
 *
 * <p>It carries the backlog seen at the moment of refusal and the queue's limit. Like other
 * fast-fail exceptions it has no stack trace: under a flood it is thrown often, and where it was
 * thrown is always {@code submit}.
 */
public final class WorkerPoolRejectedException extends RejectedExecutionException {

  private static final long serialVersionUID = 1L;

  private final String pool;
  private final int backlog;
  private final int limit;

  WorkerPoolRejectedException(String pool, int backlog, int limit, String why) {
    this(pool, backlog, limit, why, null);
  }

  WorkerPoolRejectedException(
      String pool,
      int backlog,
      int limit,
      String why,
      @org.jspecify.annotations.Nullable Throwable cause) {
    super(
        "worker pool '"
            + pool
            + "' rejected a task: "
            + why
            + " (backlog "
            + backlog
            + ", limit "
            + limit
            + ")",
        cause);
    this.pool = pool;
    this.backlog = backlog;
    this.limit = limit;
  }

  /**
   * Returns the name of the pool that refused the task.
   *
   * @return the pool name
   */
  public String pool() {
    return pool;
  }

  /**
   * Returns the number of tasks queued and not yet started when the task was refused.
   *
   * @return the backlog
   */
  public int backlog() {
    return backlog;
  }

  /**
   * Returns the queue capacity, the most tasks the pool holds waiting.
   *
   * @return the limit
   */
  public int limit() {
    return limit;
  }

  /** No stack trace: see the class comment. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
