package io.chimera.perf.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A task and its future in one object. Its state moves once out of NEW (queued): to RUNNING by the
 * one thread that claims it, or to CANCELLED / TIMED_OUT / ABANDONED without running; a running
 * task ends DONE, or INTERRUPTED when a cancel, its deadline or close took it away. Every move is a
 * CAS, so a task runs at most once and its outcome is recorded once.
 *
 * <p>Queue entries are never searched for: a task claimed by a stealing thread or expired by the
 * deadline sweeper stays in the queue as a tombstone that the worker which takes it skips. {@link
 * #markTombstone} and {@link #leftQueue} settle, with one CAS each on the task's own field, who
 * counts the tombstone in and out of {@link WorkerPool#backlog()}; a worker that claims a task
 * touches neither.
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

  /** {@link #claim} results. */
  private static final int TAKEN = 0;

  private static final int CLAIMED = 1;
  private static final int EXPIRED = 2;

  /** Queue-entry marks: still an entry, a counted tombstone, gone (taken, removed or purged). */
  private static final int IN_QUEUE = 0;

  private static final int TOMBSTONE = 1;
  private static final int GONE = 2;

  private static final VarHandle STATE;
  private static final VarHandle ENTRY;
  private static final VarHandle RUNNER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(WorkerTask.class, "state", int.class);
      ENTRY = lookup.findVarHandle(WorkerTask.class, "entry", int.class);
      RUNNER = lookup.findVarHandle(WorkerTask.class, "runner", Thread.class);
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
  private final boolean interruptAtDeadline;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  @SuppressWarnings("UnusedVariable") // read and written through ENTRY
  private volatile int entry;

  private volatile @Nullable Thread runner;
  private volatile int abortOutcome;

  /** Link in the sweeper's inbox; written before the CAS that publishes it. */
  @Nullable WorkerTask<?> nextTracked;

  /**
   * Creates a task.
   *
   * @param timeoutNanos 0 for no deadline, else at most {@link WorkerPool#MAX_DEADLINE}
   * @param interruptAtDeadline whether the deadline also interrupts a running task (else it only
   *     drops a queued one)
   */
  WorkerTask(
      WorkerPool pool,
      @Nullable Callable<T> callable,
      @Nullable Runnable runnable,
      long now,
      long timeoutNanos,
      boolean interruptAtDeadline) {
    this.pool = pool;
    this.callable = callable;
    this.runnable = runnable;
    this.enqueuedAt = now;
    this.timeoutNanos = timeoutNanos;
    this.deadline = now + timeoutNanos; // bounded by MAX_DEADLINE; compared by difference
    this.interruptAtDeadline = interruptAtDeadline;
  }

  private boolean cas(int from, int to) {
    return STATE.compareAndSet(this, from, to);
  }

  boolean hasDeadline() {
    return timeoutNanos > 0;
  }

  /** Dependent stages are plain futures: cancelling one must not reach back into the pool. */
  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  // ---- running ------------------------------------------------------------------------------

  /**
   * Worker path: the task was taken from the queue.
   *
   * @param now a ticker reading the worker took after its previous task ended (or after it woke up)
   *     and before it took this one, with nothing slow in between; a reading older than this task's
   *     submission is taken again, so queue wait is never negative
   * @return a ticker reading that can start the worker's next task: the end of this task's run, or
   *     a new reading if anything that may take time (a dependent stage, a waiter to wake, the
   *     uncaught-exception handler) ran after it
   */
  long runFromQueue(long now, WorkerTallies own) {
    if (now - enqueuedAt < 0) {
      now = pool.ticker().read(); // submitted after the reading: it waited from then to now
    }
    int claimed = claim(now, false);
    if (claimed == CLAIMED) {
      pool.meters().queueWait(own, now - enqueuedAt);
      return runClaimed(now, own);
    }
    leftQueue(); // a tombstone, or expired just now: either way it is out of the queue
    return claimed == EXPIRED ? pool.ticker().read() : now; // expiry completed the future
  }

  /**
   * Steal path: runs the task in the calling thread if no one has claimed it yet. Its queue entry
   * stays behind as a tombstone for the worker that takes it to skip.
   *
   * @return true if this thread ran it
   */
  boolean runIfUnclaimed() {
    long now = pool.ticker().read();
    int claimed = claim(now, true);
    if (claimed == CLAIMED) {
      markTombstone();
    } else {
      return false;
    }
    pool.meters().queueWait(null, now - enqueuedAt);
    pool.inlineStarted();
    try {
      runClaimed(now, null);
    } finally {
      pool.inlineFinished();
    }
    return true;
  }

  /** Caller-runs path: the queue refused the task; run it here. */
  void runInCaller() {
    long now = pool.ticker().read();
    leftQueue(); // never was an entry: nobody may count it as a tombstone
    if (claim(now, false) == CLAIMED) {
      pool.inlineStarted();
      try {
        runClaimed(now, null);
      } finally {
        pool.inlineFinished();
      }
    }
  }

  /** Claims the task to run it; {@code stillQueued} if its queue entry stays behind. */
  private int claim(long now, boolean stillQueued) {
    if (hasDeadline() && now - deadline >= 0) {
      return expireQueued(stillQueued) ? EXPIRED : TAKEN;
    }
    if (!cas(NEW, RUNNING)) {
      return TAKEN;
    }
    runner = Thread.currentThread();
    if ((int) STATE.getVolatile(this) != RUNNING) {
      // stopped between the CAS and the line above, before it could see a runner to interrupt
      Thread.currentThread().interrupt();
    }
    return CLAIMED;
  }

  /**
   * Runs the claimed task and records its outcome.
   *
   * @return the ticker reading at the end of its run, or a later one if completing its future may
   *     have taken time (see {@link #runFromQueue})
   */
  private long runClaimed(long start, @Nullable WorkerTallies own) {
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
    RUNNER.setOpaque(this, (Thread) null); // no fence: the CAS below orders it
    if (cas(RUNNING, DONE)) {
      if (failure == null) {
        pool.meters().task(own, WorkerPoolMeters.SUCCESS, end - start);
        if (getNumberOfDependents() == 0) {
          complete(result); // nothing to run or wake: as good as instant
          return end;
        }
        complete(result);
      } else {
        pool.meters().task(own, WorkerPoolMeters.FAILURE, end - start);
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
      pool.meters().task(own, abortOutcome, end - start);
    }
    return pool.ticker().read();
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
      if (pool.removeQueued(this)) { // a linear scan, but cancelling a queued task is rare
        leftQueue();
      }
      pool.meters().task(null, WorkerPoolMeters.CANCELLED, 0);
      return super.cancel(false);
    }
    if (stopRunning(WorkerPoolMeters.CANCELLED, mayInterruptIfRunning)) {
      return super.cancel(false);
    }
    return isCancelled();
  }

  /**
   * Deadline sweeper: expires the task if {@code now} is past its deadline.
   *
   * @return whether the sweeper should keep watching it
   */
  boolean sweep(long now) {
    int s = (int) STATE.getVolatile(this);
    if (s != NEW && s != RUNNING) {
      return false;
    }
    if (s == RUNNING && !interruptAtDeadline) {
      return false; // its deadline only applied while queued
    }
    if (now - deadline < 0) {
      return true;
    }
    if (!expireQueued(true) && interruptAtDeadline && stopRunning(WorkerPoolMeters.TIMEOUT, true)) {
      completeExceptionally(timeout("running"));
    }
    return false;
  }

  private boolean expireQueued(boolean stillQueued) {
    if (!cas(NEW, TIMED_OUT)) {
      return false;
    }
    if (stillQueued) {
      markTombstone(); // before the future completes, so whoever it wakes sees the backlog drop
    }
    pool.meters().task(null, WorkerPoolMeters.TIMEOUT, 0);
    completeExceptionally(timeout("queued"));
    return true;
  }

  /** Close: a queued task that will never run. Returns true if this call abandoned it. */
  boolean abandonQueued() {
    if (!cas(NEW, ABANDONED)) {
      return false;
    }
    pool.meters().task(null, WorkerPoolMeters.CANCELLED, 0);
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

  // ---- queue-entry accounting ---------------------------------------------------------------

  /** This task left NEW while (perhaps) still queued: count its entry as a tombstone. */
  private void markTombstone() {
    if (ENTRY.compareAndSet(this, IN_QUEUE, TOMBSTONE)) {
      pool.tombstoneAdded();
    }
  }

  /** The entry left the queue (taken, drained or removed): uncount it if it was a tombstone. */
  void leftQueue() {
    if (!ENTRY.compareAndSet(this, IN_QUEUE, GONE) && ENTRY.compareAndSet(this, TOMBSTONE, GONE)) {
      pool.tombstoneRemoved();
    }
  }

  /**
   * Purge filter: true for a counted tombstone, which is uncounted here; removing it or letting a
   * worker skip it are then both right.
   */
  boolean purgeTombstone() {
    if (ENTRY.compareAndSet(this, TOMBSTONE, GONE)) {
      pool.tombstoneRemoved();
      return true;
    }
    return false;
  }

  /** The task as the shutdown report names it: the submitted callable's or runnable's text. */
  String describe() {
    return String.valueOf(callable != null ? callable : runnable);
  }
}
