package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * interrupted and fails the same way. Cancelling the returned future removes a queued task and
 * interrupts a running one.
 *
 * <p>Meters, tagged {@code pool}: {@link MetricNames#WORKER_QUEUE_BACKLOG}, {@link
 * MetricNames#WORKER_QUEUE_WAIT}, {@link MetricNames#WORKER_TASKS} by outcome (success, failure,
 * timeout, cancelled; tasks that never started record zero run time), {@link
 * MetricNames#WORKER_REJECTED} (submissions the full queue refused, whatever the policy then did)
 * and {@link MetricNames#WORKER_ACTIVE}. They are created up front and removed on close. The hot
 * path takes no lock beyond the queue's own.
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

  /** The default {@link Builder#queueCapacity(int)}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 100;

  /** The largest {@link Builder#threads(int)}. */
  public static final int MAX_THREADS = 1024;

  /** The largest {@link Builder#queueCapacity(int)}. */
  public static final int MAX_QUEUE_CAPACITY = 1 << 24;

  /** The default {@link Builder#closeTimeout(Duration)}. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

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
  private final WorkerTask<?> poison;
  private final Worker[] workers;
  private final ScheduledThreadPoolExecutor deadlines;
  private final LongAdder inlineActive = new LongAdder();
  private final WorkerPoolMeters meters;
  private final Object shutdownLock = new Object();
  private volatile boolean closed;
  private @Nullable WorkerPoolShutdown shutdownReport;

  private WorkerPool(Builder b, MeterRegistry registry, int threads) {
    this.name = b.name;
    this.capacity = b.queueCapacity;
    this.backPressure = b.backPressure;
    this.blockNanos = b.blockTimeout == null ? 0 : b.blockTimeout.toNanos();
    this.closeTimeout = b.closeTimeout;
    this.ticker = b.ticker;
    this.uncaught = b.uncaught != null ? b.uncaught : WorkerPool::logUncaught;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.poison = new WorkerTask<Void>(this, null, null, 0, 0);
    this.meters = new WorkerPoolMeters(registry, this);
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "chimera-" + name + "-deadlines");
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true);
    this.workers = new Worker[threads];
    for (int i = 0; i < threads; i++) {
      Worker w = new Worker();
      Thread t = new Thread(w, "chimera-" + name + "-" + (i + 1));
      t.setDaemon(b.daemon);
      t.setUncaughtExceptionHandler(uncaught);
      w.thread = t;
      workers[i] = w;
    }
    for (Worker w : workers) {
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
  public static Builder builder(String name) {
    return new Builder(checkName(name));
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
    return enqueue(new WorkerTask<>(this, Objects.requireNonNull(task, "task"), null, now(), 0));
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
    return enqueue(new WorkerTask<>(this, null, Objects.requireNonNull(task, "task"), now(), 0));
  }

  /**
   * Submits a task that must finish within {@code deadline} of now: if it is still queued then, it
   * is dropped; if it is running, it is interrupted. Either way its future fails with a {@link
   * java.util.concurrent.TimeoutException}.
   *
   * @param task the task
   * @param deadline time allowed from submission to completion, positive
   * @param <T> the result type
   * @return its future
   * @throws WorkerPoolRejectedException if back-pressure refused it or the pool is closed
   * @throws IllegalArgumentException if the deadline is zero or negative
   */
  public <T> CompletableFuture<T> submit(Callable<T> task, Duration deadline) {
    long nanos = deadlineNanos(deadline);
    return enqueue(
        new WorkerTask<>(this, Objects.requireNonNull(task, "task"), null, now(), nanos));
  }

  /**
   * Submits a task that must finish within {@code deadline} of now; see {@link #submit(Callable,
   * Duration)}.
   *
   * @param task the task
   * @param deadline time allowed from submission to completion, positive
   * @return its future, completed with null when the task returns
   * @throws WorkerPoolRejectedException if back-pressure refused it or the pool is closed
   * @throws IllegalArgumentException if the deadline is zero or negative
   */
  public CompletableFuture<Void> submit(Runnable task, Duration deadline) {
    long nanos = deadlineNanos(deadline);
    return enqueue(
        new WorkerTask<>(this, null, Objects.requireNonNull(task, "task"), now(), nanos));
  }

  private <T> WorkerTask<T> enqueue(WorkerTask<T> task) {
    if (closed) {
      throw closedException();
    }
    task.arm();
    if (!queue.offer(task)) {
      pushBack(task);
    } else if (closed && queue.remove(task)) {
      task.disarm();
      throw closedException();
    }
    return task;
  }

  private void pushBack(WorkerTask<?> task) {
    meters.rejected();
    switch (backPressure) {
      case CALLER_RUNS:
        task.runInCaller();
        return;
      case BLOCK:
        try {
          if (queue.offer(task, blockNanos, TimeUnit.NANOSECONDS)) {
            if (closed && queue.remove(task)) {
              task.disarm();
              throw closedException();
            }
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          task.disarm();
          throw new WorkerPoolRejectedException(
              name, queue.size(), capacity, "interrupted while waiting for room", e);
        }
        task.disarm();
        throw new WorkerPoolRejectedException(
            name,
            queue.size(),
            capacity,
            "queue stayed full for " + TimeUnit.NANOSECONDS.toMillis(blockNanos) + " ms");
      case REJECT:
      default:
        task.disarm();
        throw new WorkerPoolRejectedException(name, queue.size(), capacity, "queue full");
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
    WorkerTask<T> t = new WorkerTask<>(this, task, null, now(), 0);
    if (!queue.offer(t)) {
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
   * Returns the number of tasks queued and not yet started.
   *
   * @return the backlog
   */
  public int backlog() {
    return queue.size();
  }

  /**
   * Returns the number of tasks running now, in workers or in callers.
   *
   * @return the active count
   */
  public int active() {
    int n = (int) inlineActive.sum();
    for (Worker w : workers) {
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
   * Closes with the builder's {@link Builder#closeTimeout(Duration)}; see {@link #shutdown}. What
   * was abandoned is logged at WARN.
   */
  @Override
  public void close() {
    shutdown(closeTimeout);
  }

  /**
   * Stops accepting tasks, lets the workers finish what is queued for up to {@code grace}, then
   * fails the still-queued tasks, interrupts the running ones and waits up to {@code grace} again
   * for the workers to exit. Meters are removed. A second call returns the first call's report.
   *
   * @param grace how long queued work may take to finish, zero or more
   * @return what was abandoned
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public WorkerPoolShutdown shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must be zero or more, got " + grace);
    }
    synchronized (shutdownLock) {
      WorkerPoolShutdown done = shutdownReport;
      if (done != null) {
        return done;
      }
      closed = true;
      boolean interrupted = false;
      long graceNanos = grace.toNanos();
      long end = System.nanoTime() + graceNanos;
      List<String> queued = new ArrayList<>();
      List<String> running = new ArrayList<>();
      try {
        // Poison pills go behind the queued work, so workers exit once it is done.
        for (int i = 0; i < workers.length; i++) {
          if (!queue.offer(poison, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            break;
          }
        }
        joinWorkers(end);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (anyWorkerAlive()) {
        List<WorkerTask<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (WorkerTask<?> t : left) {
          if (t != poison && t.abandonQueued()) {
            queued.add(t.describe());
          }
        }
        for (Worker w : workers) {
          WorkerTask<?> t = w.current;
          if (t != null && t.abandonRunning()) {
            running.add(t.describe());
          }
        }
        for (int i = 0; i < workers.length; i++) {
          while (!queue.offer(poison)) {
            queue.clear(); // only racing submitters that will find the pool closed
          }
        }
        try {
          joinWorkers(System.nanoTime() + graceNanos);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      deadlines.shutdownNow();
      meters.remove();
      WorkerPoolShutdown report = new WorkerPoolShutdown(name, queued, running, !anyWorkerAlive());
      if (report.abandoned() > 0 || !report.terminated()) {
        LOG.warn(
            "worker pool '{}' closed: {} queued task(s) abandoned {}, {} running task(s)"
                + " interrupted {}, all workers exited: {}",
            name,
            queued.size(),
            queued,
            running.size(),
            running,
            report.terminated());
      }
      shutdownReport = report;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return report;
    }
  }

  private void joinWorkers(long endNanos) throws InterruptedException {
    for (Worker w : workers) {
      long left = endNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(w.thread, left);
      }
    }
  }

  private boolean anyWorkerAlive() {
    for (Worker w : workers) {
      if (w.thread.isAlive()) {
        return true;
      }
    }
    return false;
  }

  // ---- package-private plumbing for WorkerTask and the optimizer ----------------------------

  Ticker ticker() {
    return ticker;
  }

  WorkerPoolMeters meters() {
    return meters;
  }

  void removeQueued(WorkerTask<?> task) {
    queue.remove(task);
  }

  void inlineStarted() {
    inlineActive.increment();
  }

  void inlineFinished() {
    inlineActive.decrement();
  }

  @Nullable ScheduledFuture<?> scheduleDeadline(WorkerTask<?> task, long delayNanos) {
    try {
      return deadlines.schedule(task::onTimer, delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null; // closed: close fails or finishes every task itself
    }
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
    return new WorkerPoolRejectedException(name, queue.size(), capacity, "pool is closed");
  }

  private static long deadlineNanos(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isZero() || deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    return deadline.toNanos();
  }

  private static void logUncaught(Thread thread, Throwable error) {
    LOG.error("worker pool task failed with an error in thread {}", thread.getName(), error);
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "pool name must be 1 to 64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    return name;
  }

  /**
   * Configures a {@link WorkerPool}. Each setting may be set once; a bad value fails at once with
   * the allowed range in the message.
   */
  public static final class Builder {
    private final String name;
    private int threads;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private boolean queueCapacitySet;
    private BackPressure backPressure = BackPressure.REJECT;
    private boolean backPressureSet;
    private @Nullable Duration blockTimeout;
    private boolean daemon;
    private boolean daemonSet;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private boolean closeTimeoutSet;
    private Ticker ticker = Ticker.system();
    private boolean tickerSet;
    private Thread.@Nullable UncaughtExceptionHandler uncaught;
    private @Nullable MeterRegistry registry;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the number of worker threads; default {@link Runtime#availableProcessors()}.
     *
     * @param threads 1 to {@link #MAX_THREADS}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder threads(int threads) {
      requireUnset(this.threads != 0, "threads");
      if (threads < 1 || threads > MAX_THREADS) {
        throw new IllegalArgumentException(
            "threads must be 1 to " + MAX_THREADS + ", got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Sets the most tasks that wait for a worker; default {@link #DEFAULT_QUEUE_CAPACITY}.
     *
     * @param capacity 1 to {@link #MAX_QUEUE_CAPACITY}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder queueCapacity(int capacity) {
      requireUnset(queueCapacitySet, "queueCapacity");
      if (capacity < 1 || capacity > MAX_QUEUE_CAPACITY) {
        throw new IllegalArgumentException(
            "queueCapacity must be 1 to " + MAX_QUEUE_CAPACITY + ", got " + capacity);
      }
      this.queueCapacity = capacity;
      queueCapacitySet = true;
      return this;
    }

    /**
     * Sets what a submit does when the queue is full: {@link BackPressure#REJECT} (the default) or
     * {@link BackPressure#CALLER_RUNS}. For {@link BackPressure#BLOCK} use {@link
     * #backPressure(BackPressure, Duration)}.
     *
     * @param policy REJECT or CALLER_RUNS
     * @return this builder
     * @throws IllegalArgumentException for BLOCK, which needs a timeout
     * @throws IllegalStateException if already set
     */
    public Builder backPressure(BackPressure policy) {
      Objects.requireNonNull(policy, "policy");
      if (policy == BackPressure.BLOCK) {
        throw new IllegalArgumentException(
            "BLOCK needs a timeout: use backPressure(BLOCK, timeout)");
      }
      requireUnset(backPressureSet, "backPressure");
      this.backPressure = policy;
      backPressureSet = true;
      return this;
    }

    /**
     * Sets {@link BackPressure#BLOCK}: a submit waits up to {@code timeout} for room in the queue.
     *
     * @param policy BLOCK
     * @param timeout positive, at most one hour
     * @return this builder
     * @throws IllegalArgumentException if the policy is not BLOCK or the timeout is out of range
     * @throws IllegalStateException if already set
     */
    public Builder backPressure(BackPressure policy, Duration timeout) {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(timeout, "timeout");
      if (policy != BackPressure.BLOCK) {
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
    public Builder daemon(boolean daemon) {
      requireUnset(daemonSet, "daemon");
      this.daemon = daemon;
      daemonSet = true;
      return this;
    }

    /**
     * Sets who hears of an {@link Error} thrown by a task (after its future fails with it) and of
     * anything that escapes a worker thread. The default logs at ERROR. Task exceptions only fail
     * the task's future.
     *
     * @param handler the handler; its own exceptions are logged
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
      requireUnset(uncaught != null, "uncaughtExceptionHandler");
      this.uncaught = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Sets the grace period {@link WorkerPool#close()} uses; default {@link
     * #DEFAULT_CLOSE_TIMEOUT}.
     *
     * @param timeout zero to one hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder closeTimeout(Duration timeout) {
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
     * Sets the time source for queue waits, run times and deadlines; default {@link
     * Ticker#system()}.
     *
     * @param ticker the ticker
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ticker(Ticker ticker) {
      requireUnset(tickerSet, "ticker");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      tickerSet = true;
      return this;
    }

    /**
     * Sets the registry for the worker meters; default Micrometer's global registry.
     *
     * @param registry the registry
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder meterRegistry(MeterRegistry registry) {
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

    private static void requireUnset(boolean set, String what) {
      if (set) {
        throw new IllegalStateException(what + " was already set");
      }
    }
  }

  private final class Worker implements Runnable {
    @SuppressWarnings("NullAway.Init") // set before the thread starts
    Thread thread;

    volatile @Nullable WorkerTask<?> current;

    @Override
    public void run() {
      for (; ; ) {
        WorkerTask<?> task;
        try {
          task = queue.take();
        } catch (InterruptedException e) {
          continue; // a stray interrupt; close uses poison pills, not interrupts
        }
        if (task == poison) {
          return;
        }
        current = task;
        try {
          task.runFromQueue();
        } finally {
          current = null;
          boolean ignored = Thread.interrupted();
        }
      }
    }
  }
}
