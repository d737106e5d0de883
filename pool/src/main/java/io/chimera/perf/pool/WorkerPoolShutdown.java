package io.chimera.perf.pool;

import java.util.List;
import java.util.Objects;

/**
 * What {@link WorkerPool#shutdown(java.time.Duration)} left undone.
 *
 * <p>Tasks are described by their {@code toString()}, as {@link
 * java.util.concurrent.ExecutorService#shutdownNow()} hands back its runnables: give tasks a
 * meaningful {@code toString()} to read this report. The futures of abandoned tasks have already
 * failed with a {@link java.util.concurrent.CancellationException}.
 *
 * @param pool the pool name
 * @param abandonedQueued tasks that were still queued when the grace period ended; never started
 * @param interruptedRunning tasks that were running when the grace period ended; interrupted
 * @param terminated whether every worker thread had exited when shutdown returned (false when a
 *     task ignored its interrupt)
 */
public record WorkerPoolShutdown(
    String pool,
    List<String> abandonedQueued,
    List<String> interruptedRunning,
    boolean terminated) {

  /**
   * Copies the lists.
   *
   * @throws NullPointerException if an argument is null
   */
  public WorkerPoolShutdown {
    Objects.requireNonNull(pool, "pool");
    abandonedQueued = List.copyOf(abandonedQueued);
    interruptedRunning = List.copyOf(interruptedRunning);
  }

  /**
   * Returns how many tasks did not finish: abandoned in the queue plus interrupted while running.
   *
   * @return the number of abandoned tasks
   */
  public int abandoned() {
    return abandonedQueued.size() + interruptedRunning.size();
  }

  /**
   * Returns whether all queued work finished within the grace period and every worker exited.
   *
   * @return true for a clean shutdown
   */
  public boolean clean() {
    return abandoned() == 0 && terminated;
  }
}
