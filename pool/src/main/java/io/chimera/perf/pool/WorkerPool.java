package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.chimera.perf.core.internal.CoarseClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded executor with back-pressure, per-task deadlines, cancellation that reaches running
 * tasks, a graceful close that reports what it abandoned, and the PERF-008 worker-queue meters.
 *
 * <p>Tasks wait in one bounded FIFO queue for a fixed set of worker threads named {@code
 * chimera-<name>-<n>}. When the queue is full the {@link BackPressure} policy decides: refuse with
 * {@link WorkerPoolRejectedException}, run the task in the submitting thread, or wait for room up
 * to a timeout. A task with a deadline that is still queued when the deadline passes is dropped and
 * its future fails with a {@link java.util.concurrent.TimeoutException}; one still running is
 * interrupted and fails the same way. Deadlines are read from the pool's ticker by one sweeper
 * thread every {@value WorkerPoolDeadlines#SWEEP_INTERVAL_MS} ms (and by a worker when it takes a
 * task), so they are enforced within about that much. Cancelling the returned future removes a
 * queued task and interrupts a running one.
 *
 * <p>Meters, tagged {@code pool}: {@link MetricNames#WORKER_QUEUE_BACKLOG}, {@link
 * MetricNames#WORKER_QUEUE_WAIT} (count and total, or a percentile histogram when {@link
 * WorkerPoolBuilder#queueWaitHistogram(boolean)} asks for one), {@link MetricNames#WORKER_TASKS} by
 * outcome (success, failure, timeout, cancelled; tasks that never started record zero run time),
 * {@link MetricNames#WORKER_REJECTED} (submissions the full queue refused, whatever the policy then
 * did) and {@link MetricNames#WORKER_ACTIVE}. They are created up front and removed on close. The
 * hot path takes no lock beyond the queue's own: a task with a deadline costs one more CAS to hand
 * it to the sweeper, and a task taken out of turn (a split gradient's part run by the job's own
 * thread, or one the sweeper expired) is left in the queue as a tombstone that workers skip instead
 * of being searched for. Tombstones do not count in the backlog.
 *
 * <p>With the system ticker and no queue-wait histogram, queue waits, run times and deadlines are
 * read from the shared 1 ms {@link CoarseClock} (a volatile read instead of a {@code
 * System.nanoTime()} call on the submitting thread and again on the worker): a single short task
 * may read as 0 or 1 ms, but totals and means over many tasks are unbiased, and deadlines are
 * enforced within the sweep interval anyway.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder("optimizer")
 *     .threads(4)
 *     .queueCapacity(100)
 *     .backPressure(WorkerPool.BackPressure.BLOCK, Duration.ofMillis(200))
 *     .meterRegistry(registry)
 *     .build()) {
 *   CompletableFuture<Double> f = pool.submit(() -> score(model), Duration.ofSeconds(2));
 *   double s = f.join();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  /** The default {@link WorkerPoolBuilder#queueCapacity(int)}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 100;

  /** The largest {@link WorkerPoolBuilder#threads(int)}. */
  public static final int MAX_THREADS = 1024;

  /** The largest {@link WorkerPoolBuilder#queueCapacity(int)}. */
  public static final int MAX_QUEUE_CAPACITY = 1 << 24;

  /** The default {@link WorkerPoolBuilder#closeTimeout(Duration)}. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** The longest task deadline: one day. */
  public static final Duration MAX_DEADLINE = Duration.ofDays(1);

  /** What {@code submit} does when the queue is full. */
  public enum BackPressure {
    /** Throw {@link WorkerPoolRejectedException} at once. */
    REJECT,
    /** Run the task in the submitting thread; the returned future is complete on return. */
    CALLER_RUNS,
    /**
     * Wait up to the configured timeout for room, then throw {@link WorkerPoolRejectedException}.
     */
    BLOCK
  }

  private final String name;
  private final int capacity;
  private final BackPressure backPressure;
  private final long blockNanos;
  private final Duration closeTimeout;
  private final Ticker ticker;
  private final Thread.UncaughtExceptionHandler uncaught;
  private final LinkedBlockingQueue<WorkerTask<?>> queue;
  private final WorkerPoolWorker[] workers;
  private final WorkerPoolDeadlines deadlines;
  private final LongAdder inlineActive = new LongAdder();
  private final LongAdder tombstones = new LongAdder();
  private final WorkerPoolMeters meters;
  private final WorkerPoolStopper stopper;

  /** True while this pool holds the shared {@link CoarseClock}; cleared by the release. */
  private final AtomicBoolean clockHeld;

  private volatile boolean closed;

  WorkerPool(WorkerPoolBuilder b, MeterRegistry registry, int threads) {
    this.name = b.name;
    this.capacity = b.queueCapacity;
    this.backPressure = b.backPressure;
    this.blockNanos = b.blockTimeout == null ? 0 : b.blockTimeout.toNanos();
    this.closeTimeout = b.closeTimeout;
    boolean coarse = b.ticker == Ticker.system() && !b.queueWaitHistogram;
    this.ticker = coarse ? CoarseClock.acquire() : b.ticker;
    this.clockHeld = new AtomicBoolean(coarse);
    this.uncaught = b.uncaught != null ? b.uncaught : WorkerPoolWorker::logUncaught;
    this.queue = new LinkedBlockingQueue<>(capacity);
    WorkerTask<?> poison = new WorkerTask<Void>(this, null, null, 0, 0, false);
    this.meters = new WorkerPoolMeters(registry, this, threads, b.queueWaitHistogram);
    this.deadlines = new WorkerPoolDeadlines(this);
    this.workers = new WorkerPoolWorker[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] =
          new WorkerPoolWorker(
              queue,
              poison,
              ticker,
              meters.owned(i),
              "chimera-" + name + "-" + (i + 1),
              b.daemon,
              uncaught);
    }
    this.stopper = new WorkerPoolStopper(name, queue, poison, workers, deadlines, meters);
    deadlines.start();
    for (WorkerPoolWorker w : workers) {
      w.thread.start();
    }
  }

  /**
   * Starts a builder.
   *
   * @param name the pool name, the {@code pool} tag and part of thread names: 1 to 64 characters of
   *     {@code [A-Za-z0-9._-]}
   * @return a builder
   * @throws IllegalArgumentException if the name is empty, too long or has other characters
   */
  public static WorkerPoolBuilder builder(String name) {
    return new WorkerPoolBuilder(WorkerPoolBuilder.checkName(name));
  }

  /**
   * Submits a task with no deadline.
   *
   * @param task the task
   * @param <T> the result type
   * @return its future: the result, the task's exception, or a {@link
   *     java.util.concurrent.CancellationException} if cancelled or abandoned by close
   * @throws WorkerPoolRejectedException if back-pressure refused it or the pool is closed
   * @throws NullPointerException if the task is null
   */
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    return enqueue(
        new WorkerTask<>(this, Objects.requireNonNull(task, "task"), null, now(), 0, false));
  }

  /**
   * Submits a task with no deadline.
   *
   * @param task the task
   * @return its future, completed with null when the task returns
   * @throws WorkerPoolRejectedException if back-pressure refused it or the pool is closed
   * @throws NullPointerException if the task is null
   */
  public CompletableFuture<Void> submit(Runnable task) {
    return enqueue(
        new WorkerTask<>(this, null, Objects.requireNonNull(task, "task"), now(), 0, false));
  }

  /**
   * Submits a task that must finish within {@code deadline} of now: if it is still queued then, it
   * is dropped; if it is running, it is interrupted. Either way its future fails with a {@link
   * java.util.concurrent.TimeoutException}.
   *
   * @param task the task
   * @param deadline time allowed from submission to completion, positive and at most {@link
   *     #MAX_DEADLINE}
   * @param <T> the result type
   * @return its future
   * @throws WorkerPoolRejectedException if back-pressure refused it or the pool is closed
   * @throws IllegalArgumentException if the deadline is zero, negative or above {@link
   *     #MAX_DEADLINE}
   */
  public <T> CompletableFuture<T> submit(Callable<T> task, Duration deadline) {
    long nanos = WorkerPoolBuilder.deadlineNanos(deadline);
    return enqueue(
        new WorkerTask<>(this, Objects.requireNonNull(task, "task"), null, now(), nanos, true));
  }

  /**
   * Submits a task that must finish within {@code deadline} of now; see {@link #submit(Callable,
   * Duration)}.
   *
   * @param task the task
   * @param deadline time allowed from submission to completion, positive and at most {@link
   *     #MAX_DEADLINE}
   * @return its future, completed with null when the task returns
   * @throws WorkerPoolRejectedException if back-pressure refused it or the pool is closed
   * @throws IllegalArgumentException if the deadline is zero, negative or above {@link
   *     #MAX_DEADLINE}
   */
  public CompletableFuture<Void> submit(Runnable task, Duration deadline) {
    long nanos = WorkerPoolBuilder.deadlineNanos(deadline);
    return enqueue(
        new WorkerTask<>(this, null, Objects.requireNonNull(task, "task"), now(), nanos, true));
  }

  /**
   * Submits a job whose deadline only drops it while queued: once started it stops itself at its
   * deadline (the optimizer returns the point reached), so it is never interrupted for it.
   */
  <T> CompletableFuture<T> submitQueueDeadline(Callable<T> task, long deadlineNanos) {
    return enqueue(new WorkerTask<>(this, task, null, now(), deadlineNanos, false));
  }

  private <T> WorkerTask<T> enqueue(WorkerTask<T> task) {
    if (closed) {
      throw closedException();
    }
    if (!offer(task)) {
      pushBack(task);
    } else if (closed && queue.remove(task)) {
      throw closedException();
    } else if (task.hasDeadline()) {
      deadlines.track(task);
    }
    return task;
  }

  /** Offers; a full queue holding tombstones is purged of them once and offered again. */
  private boolean offer(WorkerTask<?> task) {
    return queue.offer(task) || (tombstones.sum() > 0 && purgeTombstones() && queue.offer(task));
  }

  private void pushBack(WorkerTask<?> task) {
    meters.rejected();
    switch (backPressure) {
      case CALLER_RUNS:
        if (task.hasDeadline()) {
          deadlines.track(task); // interrupts the caller at the deadline, as it would a worker
        }
        task.runInCaller();
        return;
      case BLOCK:
        try {
          if (queue.offer(task, blockNanos, TimeUnit.NANOSECONDS)) {
            if (closed && queue.remove(task)) {
              throw closedException();
            }
            if (task.hasDeadline()) {
              deadlines.track(task);
            }
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkerPoolRejectedException(
              name, backlog(), capacity, "interrupted while waiting for room", e);
        }
        throw new WorkerPoolRejectedException(
            name,
            backlog(),
            capacity,
            "queue stayed full for " + TimeUnit.NANOSECONDS.toMillis(blockNanos) + " ms");
      case REJECT:
      default:
        throw new WorkerPoolRejectedException(name, backlog(), capacity, "queue full");
    }
  }

  /**
   * Offers a task without back-pressure or rejection counting, for work a running task splits off
   * and would otherwise run itself.
   *
   * @return the queued task, or null if the queue is full or the pool closed
   */
  <T> @Nullable WorkerTask<T> offerInternal(Callable<T> task) {
    if (closed) {
      return null;
    }
    WorkerTask<T> t = new WorkerTask<>(this, task, null, now(), 0, false);
    if (!offer(t)) {
      return null;
    }
    if (closed && queue.remove(t)) {
      return null;
    }
    return t;
  }

  /**
   * Returns the pool name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the number of worker threads.
   *
   * @return the thread count
   */
  public int threads() {
    return workers.length;
  }

  /**
   * Returns the queue capacity.
   *
   * @return the most tasks that wait at once
   */
  public int queueCapacity() {
    return capacity;
  }

  /**
   * Returns the number of tasks queued and not yet started. Queue entries of tasks that were
   * already run by another thread or dropped at their deadline (tombstones a worker will skip) are
   * not counted.
   *
   * @return the backlog
   */
  public int backlog() {
    return (int) Math.max(0, queue.size() - tombstones.sum());
  }

  /** Queue entries, tombstones included; for tests. */
  int queuedEntries() {
    return queue.size();
  }

  /**
   * Returns the number of tasks running now, in workers or in callers.
   *
   * @return the active count
   */
  public int active() {
    int n = (int) inlineActive.sum();
    for (WorkerPoolWorker w : workers) {
      if (w.current != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Returns whether {@link #shutdown} or {@link #close} has begun.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes with the builder's {@link WorkerPoolBuilder#closeTimeout(Duration)}; see {@link
   * #shutdown}. What was abandoned is logged at WARN.
   */
  @Override
  public void close() {
    shutdown(closeTimeout);
  }

  /**
   * Stops accepting tasks, lets the workers finish what is queued for up to {@code grace}, then
   * fails the still-queued tasks, interrupts the running ones and every worker thread and waits up
   * to {@code grace} again for the workers to exit. Meters are removed. A second call returns the
   * first call's report.
   *
   * @param grace how long queued work may take to finish, zero to one hour
   * @return what was abandoned
   * @throws IllegalArgumentException if {@code grace} is negative or above one hour
   */
  public WorkerPoolShutdown shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("grace must be zero to PT1H, got " + grace);
    }
    closed = true;
    WorkerPoolShutdown report = stopper.stop(grace.toNanos());
    if (clockHeld.compareAndSet(true, false)) {
      CoarseClock.release();
    }
    return report;
  }

  // ---- package-private plumbing for WorkerTask and the optimizer ----------------------------

  Ticker ticker() {
    return ticker;
  }

  WorkerPoolMeters meters() {
    return meters;
  }

  boolean removeQueued(WorkerTask<?> task) {
    return queue.remove(task);
  }

  void tombstoneAdded() {
    tombstones.increment();
  }

  void tombstoneRemoved() {
    tombstones.decrement();
  }

  /**
   * Removes counted tombstones: the slow path of a submit that found the queue full, so that tasks
   * already run elsewhere or expired never cost a live task its place.
   */
  private boolean purgeTombstones() {
    return queue.removeIf(WorkerTask::purgeTombstone);
  }

  void inlineStarted() {
    inlineActive.increment();
  }

  void inlineFinished() {
    inlineActive.decrement();
  }

  void uncaught(Throwable error) {
    try {
      uncaught.uncaughtException(Thread.currentThread(), error);
    } catch (RuntimeException e) {
      LOG.error("uncaught-exception handler of worker pool '{}' failed", name, e);
    }
  }

  private long now() {
    return ticker.read();
  }

  private WorkerPoolRejectedException closedException() {
    return new WorkerPoolRejectedException(name, backlog(), capacity, "pool is closed");
  }
}
