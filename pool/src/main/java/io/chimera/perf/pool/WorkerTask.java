package io.chimera.perf.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A task and its future in one object. Its state moves once out of NEW (queued): to RUNNING by the
 * one thread that claims it, or to CANCELLED / TIMED_OUT / ABANDONED without running; a running
 * task ends DONE, or INTERRUPTED when a cancel, its deadline or close took it away. Every move is a
 * CAS, so a task runs at most once and its outcome is recorded once.
 */
final class WorkerTask<T> extends CompletableFuture<T> {

  static final int NEW = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;
  static final int CANCELLED = 3;
  static final int TIMED_OUT = 4;
  static final int ABANDONED = 5;
  static final int INTERRUPTING = 6;
  static final int INTERRUPTED = 7;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(WorkerTask.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final WorkerPool pool;
  private final @Nullable Callable<T> callable;
  private final @Nullable Runnable runnable;
  private final long enqueuedAt;
  private final long timeoutNanos;
  private final long deadline;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  private volatile @Nullable Thread runner;
  private volatile @Nullable ScheduledFuture<?> timer;
  private volatile int abortOutcome;

  WorkerTask(
      WorkerPool pool,
      @Nullable Callable<T> callable,
      @Nullable Runnable runnable,
      long now,
      long timeoutNanos) {
    this.pool = pool;
    this.callable = callable;
    this.runnable = runnable;
    this.enqueuedAt = now;
    this.timeoutNanos = timeoutNanos;
    this.deadline = now + timeoutNanos;
  }

  private boolean cas(int from, int to) {
    return STATE.compareAndSet(this, from, to);
  }

  private boolean hasDeadline() {
    return timeoutNanos > 0;
  }

  /** Dependent stages are plain futures: cancelling one must not reach back into the pool. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  // ---- running ------------------------------------------------------------------------------

  /** Worker path: the task was taken from the queue. */
  void runFromQueue() {
    long now = pool.ticker().read();
    if (claim(now)) {
      pool.meters().queueWait(now - enqueuedAt);
      runClaimed(now);
    }
  }

  /**
   * Steal path: runs the task in the calling thread if no one has claimed it yet, and takes it out
   * of the queue.
   *
   * @return true if this thread ran it
   */
  boolean runIfUnclaimed() {
    long now = pool.ticker().read();
    if (!claim(now)) {
      return false;
    }
    pool.removeQueued(this);
    pool.meters().queueWait(now - enqueuedAt);
    pool.inlineStarted();
    try {
      runClaimed(now);
    } finally {
      pool.inlineFinished();
    }
    return true;
  }

  /** Caller-runs path: the queue refused the task; run it here. */
  void runInCaller() {
    long now = pool.ticker().read();
    if (claim(now)) {
      pool.inlineStarted();
      try {
        runClaimed(now);
      } finally {
        pool.inlineFinished();
      }
    }
  }

  private boolean claim(long now) {
    if (hasDeadline() && now - deadline >= 0) {
      expireQueued();
      return false;
    }
    if (!cas(NEW, RUNNING)) {
      return false;
    }
    runner = Thread.currentThread();
    if ((int) STATE.getVolatile(this) != RUNNING) {
      // stopped between the CAS and the line above, before it could see a runner to interrupt
      Thread.currentThread().interrupt();
    }
    return true;
  }

  private void runClaimed(long start) {
    T result = null;
    Throwable failure = null;
    try {
      if (callable != null) {
        result = callable.call();
      } else if (runnable != null) {
        runnable.run();
      }
    } catch (Throwable t) { // every failure belongs to the future
      failure = t;
    }
    long end = pool.ticker().read();
    runner = null;
    if (cas(RUNNING, DONE)) {
      disarm();
      if (failure == null) {
        pool.meters().task(WorkerPoolMeters.SUCCESS, end - start);
        complete(result);
      } else {
        pool.meters().task(WorkerPoolMeters.FAILURE, end - start);
        completeExceptionally(failure);
        if (failure instanceof Error) {
          pool.uncaught(failure);
        }
      }
    } else {
      while ((int) STATE.getVolatile(this) == INTERRUPTING) {
        Thread.onSpinWait();
      }
      boolean ignored = Thread.interrupted(); // our interrupt, aimed at this task only
      pool.meters().task(abortOutcome, end - start);
    }
  }

  // ---- taking a task away -------------------------------------------------------------------

  /**
   * Cancels the task: a queued one leaves the queue and never runs, a running one is interrupted
   * when {@code mayInterruptIfRunning}. Either way the future fails at once with a {@link
   * CancellationException}.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (cas(NEW, CANCELLED)) {
      pool.removeQueued(this);
      disarm();
      pool.meters().task(WorkerPoolMeters.CANCELLED, 0);
      return super.cancel(false);
    }
    if (stopRunning(WorkerPoolMeters.CANCELLED, mayInterruptIfRunning)) {
      return super.cancel(false);
    }
    return isCancelled();
  }

  /** Deadline timer: fires at the deadline in real time; the ticker decides whether it passed. */
  void onTimer() {
    int s = (int) STATE.getVolatile(this);
    if (s != NEW && s != RUNNING) {
      return;
    }
    long remaining = deadline - pool.ticker().read();
    if (remaining > 0) {
      timer = pool.scheduleDeadline(this, remaining);
      return;
    }
    if (!expireQueued() && stopRunning(WorkerPoolMeters.TIMEOUT, true)) {
      completeExceptionally(timeout("running"));
    }
  }

  private boolean expireQueued() {
    if (!cas(NEW, TIMED_OUT)) {
      return false;
    }
    pool.removeQueued(this);
    disarm();
    pool.meters().task(WorkerPoolMeters.TIMEOUT, 0);
    completeExceptionally(timeout("queued"));
    return true;
  }

  /** Close: a queued task that will never run. Returns true if this call abandoned it. */
  boolean abandonQueued() {
    if (!cas(NEW, ABANDONED)) {
      return false;
    }
    disarm();
    pool.meters().task(WorkerPoolMeters.CANCELLED, 0);
    completeExceptionally(
        new CancellationException(
            "worker pool '" + pool.name() + "' closed before the task started"));
    return true;
  }

  /** Close: a running task past the grace period. Returns true if this call interrupted it. */
  boolean abandonRunning() {
    if (!stopRunning(WorkerPoolMeters.CANCELLED, true)) {
      return false;
    }
    completeExceptionally(
        new CancellationException(
            "worker pool '" + pool.name() + "' closed; the running task was interrupted"));
    return true;
  }

  private boolean stopRunning(int outcome, boolean interrupt) {
    if (!cas(RUNNING, INTERRUPTING)) {
      return false;
    }
    abortOutcome = outcome;
    Thread r = runner;
    if (interrupt && r != null) {
      r.interrupt();
    }
    STATE.setVolatile(this, INTERRUPTED);
    disarm();
    return true;
  }

  private TimeoutException timeout(String where) {
    return new TimeoutException(
        "task passed its deadline of "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
            + " ms while "
            + where
            + " in worker pool '"
            + pool.name()
            + "'");
  }

  // ---- deadline timer -----------------------------------------------------------------------

  void arm() {
    if (hasDeadline()) {
      timer = pool.scheduleDeadline(this, timeoutNanos);
    }
  }

  void disarm() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      timer = null;
      t.cancel(false);
    }
  }

  /** The task as the shutdown report names it: the submitted callable's or runnable's text. */
  String describe() {
    return String.valueOf(callable != null ? callable : runnable);
  }
}
