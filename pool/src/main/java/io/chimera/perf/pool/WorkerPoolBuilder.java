package io.chimera.perf.pool;

import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link WorkerPool}. Each setting may be set once; a bad value fails at once with the
 * allowed range in the message.
 */
public final class WorkerPoolBuilder {
  final String name;
  int threads;
  int queueCapacity = WorkerPool.DEFAULT_QUEUE_CAPACITY;
  boolean queueCapacitySet;
  WorkerPool.BackPressure backPressure = WorkerPool.BackPressure.REJECT;
  boolean backPressureSet;
  @Nullable Duration blockTimeout;
  boolean daemon;
  boolean daemonSet;
  Duration closeTimeout = WorkerPool.DEFAULT_CLOSE_TIMEOUT;
  boolean closeTimeoutSet;
  Ticker ticker = Ticker.system();
  boolean tickerSet;
  boolean queueWaitHistogram;
  boolean queueWaitHistogramSet;
  Thread.@Nullable UncaughtExceptionHandler uncaught;
  @Nullable MeterRegistry registry;

  WorkerPoolBuilder(String name) {
    this.name = name;
  }

  /**
   * Sets the number of worker threads; default {@link Runtime#availableProcessors()}.
   *
   * @param threads 1 to {@link WorkerPool#MAX_THREADS}
   * @return this builder
   * @throws IllegalArgumentException if out of range
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder threads(int threads) {
    requireUnset(this.threads != 0, "threads");
    if (threads < 1 || threads > WorkerPool.MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be 1 to " + WorkerPool.MAX_THREADS + ", got " + threads);
    }
    this.threads = threads;
    return this;
  }

  /**
   * Sets the most tasks that wait for a worker; default {@link WorkerPool#DEFAULT_QUEUE_CAPACITY}.
   *
   * @param capacity 1 to {@link WorkerPool#MAX_QUEUE_CAPACITY}
   * @return this builder
   * @throws IllegalArgumentException if out of range
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder queueCapacity(int capacity) {
    requireUnset(queueCapacitySet, "queueCapacity");
    if (capacity < 1 || capacity > WorkerPool.MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          "queueCapacity must be 1 to " + WorkerPool.MAX_QUEUE_CAPACITY + ", got " + capacity);
    }
    this.queueCapacity = capacity;
    queueCapacitySet = true;
    return this;
  }

  /**
   * Sets what a submit does when the queue is full: {@link WorkerPool.BackPressure#REJECT} (the
   * default) or {@link WorkerPool.BackPressure#CALLER_RUNS}. For {@link
   * WorkerPool.BackPressure#BLOCK} use {@link #backPressure(BackPressure, Duration)}.
   *
   * @param policy REJECT or CALLER_RUNS
   * @return this builder
   * @throws IllegalArgumentException for BLOCK, which needs a timeout
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder backPressure(WorkerPool.BackPressure policy) {
    Objects.requireNonNull(policy, "policy");
    if (policy == WorkerPool.BackPressure.BLOCK) {
      throw new IllegalArgumentException("BLOCK needs a timeout: use backPressure(BLOCK, timeout)");
    }
    requireUnset(backPressureSet, "backPressure");
    this.backPressure = policy;
    backPressureSet = true;
    return this;
  }

  /**
   * Sets {@link WorkerPool.BackPressure#BLOCK}: a submit waits up to {@code timeout} for room in
   * the queue.
   *
   * @param policy BLOCK
   * @param timeout positive, at most one hour
   * @return this builder
   * @throws IllegalArgumentException if the policy is not BLOCK or the timeout is out of range
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder backPressure(WorkerPool.BackPressure policy, Duration timeout) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(timeout, "timeout");
    if (policy != WorkerPool.BackPressure.BLOCK) {
      throw new IllegalArgumentException("only BLOCK takes a timeout, got " + policy);
    }
    if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "BLOCK timeout must be positive and at most PT1H, got " + timeout);
    }
    requireUnset(backPressureSet, "backPressure");
    this.backPressure = policy;
    this.blockTimeout = timeout;
    backPressureSet = true;
    return this;
  }

  /**
   * Sets whether worker threads are daemon threads; default false.
   *
   * @param daemon true for daemon threads
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder daemon(boolean daemon) {
    requireUnset(daemonSet, "daemon");
    this.daemon = daemon;
    daemonSet = true;
    return this;
  }

  /**
   * Sets who hears of an {@link Error} thrown by a task (after its future fails with it) and of
   * anything that escapes a worker thread. The default logs at ERROR. Task exceptions only fail the
   * task's future.
   *
   * @param handler the handler; its own exceptions are logged
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
    requireUnset(uncaught != null, "uncaughtExceptionHandler");
    this.uncaught = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Sets the grace period {@link WorkerPool#close()} uses; default {@link
   * WorkerPool#DEFAULT_CLOSE_TIMEOUT}.
   *
   * @param timeout zero to one hour
   * @return this builder
   * @throws IllegalArgumentException if out of range
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder closeTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    requireUnset(closeTimeoutSet, "closeTimeout");
    if (timeout.isNegative() || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("closeTimeout must be zero to PT1H, got " + timeout);
    }
    this.closeTimeout = timeout;
    closeTimeoutSet = true;
    return this;
  }

  /**
   * Sets the time source for queue waits, run times and deadlines; default {@link Ticker#system()}.
   *
   * @param ticker the ticker
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder ticker(Ticker ticker) {
    requireUnset(tickerSet, "ticker");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    tickerSet = true;
    return this;
  }

  /**
   * Publishes {@code chimera.worker.queue.wait} with a percentile histogram (the technical
   * dashboard's "Queue wait P95" panel reads its buckets); default off, when the meter has a count
   * and a total (so a mean) only. A histogram costs each task about 100 ns more on its worker
   * (shared buckets, a max window and a clock read per record), which for short tasks is a quarter
   * of what the whole submit-run-complete cycle costs, and it makes the pool time queue waits and
   * run times with {@link System#nanoTime()} instead of a shared 1 ms clock.
   *
   * @param publish whether to publish the histogram
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder queueWaitHistogram(boolean publish) {
    requireUnset(queueWaitHistogramSet, "queueWaitHistogram");
    this.queueWaitHistogram = publish;
    queueWaitHistogramSet = true;
    return this;
  }

  /**
   * Sets the registry for the worker meters; default Micrometer's global registry.
   *
   * @param registry the registry
   * @return this builder
   * @throws IllegalStateException if already set
   */
  public WorkerPoolBuilder meterRegistry(MeterRegistry registry) {
    requireUnset(this.registry != null, "meterRegistry");
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Builds the pool and starts its threads.
   *
   * @return the pool
   */
  public WorkerPool build() {
    int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    return new WorkerPool(this, registry == null ? Metrics.globalRegistry : registry, n);
  }

  static void requireUnset(boolean set, String what) {
    if (set) {
      throw new IllegalStateException(what + " was already set");
    }
  }

  static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "pool name must be 1 to 64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    return name;
  }

  /**
   * Checks a deadline against (0, {@link WorkerPool#MAX_DEADLINE}], before {@code toNanos()} can
   * overflow.
   *
   * @throws IllegalArgumentException naming the value and the range
   */
  static long deadlineNanos(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isZero()
        || deadline.isNegative()
        || deadline.compareTo(WorkerPool.MAX_DEADLINE) > 0) {
      throw new IllegalArgumentException(
          "deadline must be positive and at most " + WorkerPool.MAX_DEADLINE + ", got " + deadline);
    }
    return deadline.toNanos();
  }
}
