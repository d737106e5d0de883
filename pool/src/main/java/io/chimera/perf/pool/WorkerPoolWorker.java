package io.chimera.perf.pool;

import io.chimera.perf.core.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread's loop: take a task, skip it if it is a tombstone, run it. It exits on a poison
 * pill (close lets queued work finish first) or, once close has given up waiting, when {@link
 * #requestStop()} sets its flag and {@link #wake()} interrupts it: the flag is checked before and
 * after every {@code take()}, so no interrupt is lost, whatever the queue holds.
 */
final class WorkerPoolWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final VarHandle CURRENT;

  static {
    try {
      CURRENT =
          MethodHandles.lookup().findVarHandle(WorkerPoolWorker.class, "current", WorkerTask.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final BlockingQueue<WorkerTask<?>> queue;
  private final WorkerTask<?> poison;
  private final Ticker ticker;
  private final WorkerTallies tallies;
  final Thread thread;

  /**
   * The task running now, for {@link WorkerPool#active()} and close. Written with release stores
   * (no fence per task: the claim's CAS already orders the task's start), read as volatile.
   */
  volatile @Nullable WorkerTask<?> current;

  private volatile boolean stopping;

  WorkerPoolWorker(
      BlockingQueue<WorkerTask<?>> queue,
      WorkerTask<?> poison,
      Ticker ticker,
      WorkerTallies tallies,
      String threadName,
      boolean daemon,
      Thread.UncaughtExceptionHandler uncaught) {
    this.queue = queue;
    this.poison = poison;
    this.ticker = ticker;
    this.tallies = tallies;
    this.thread = new Thread(this, threadName);
    thread.setDaemon(daemon);
    thread.setUncaughtExceptionHandler(uncaught);
  }

  /** Tells the worker to exit after its current task; {@link #wake()} must follow. */
  void requestStop() {
    stopping = true;
  }

  /**
   * Interrupts the worker, after {@link #requestStop()}: it may clear the interrupt, not the flag.
   */
  void wake() {
    thread.interrupt();
  }

  /**
   * The loop reads the ticker once per task: the reading that ends one task's run is the start of
   * the next one's if the queue hands that over without blocking (the queue wait then includes the
   * instant between the reading and the take; a task submitted after the reading reads again).
   * After blocking in {@code take()} it reads again.
   */
  @Override
  public void run() {
    long now = ticker.read();
    while (!stopping) {
      WorkerTask<?> task = queue.poll();
      if (task == null) {
        try {
          task = queue.take();
        } catch (InterruptedException e) {
          continue; // the loop condition decides: wake() comes only after the flag is set
        }
        now = ticker.read();
      }
      if (task == poison) {
        return;
      }
      if (stopping) {
        task.leftQueue(); // taken in the race with close's drain: it will not run
        task.abandonQueued();
        return;
      }
      CURRENT.setRelease(this, task);
      try {
        now = task.runFromQueue(now, tallies);
      } finally {
        CURRENT.setRelease(this, null);
        boolean ignored = Thread.interrupted(); // a task's interrupt ends with the task
      }
    }
  }

  /** The default uncaught-exception handler: logs at ERROR. */
  static void logUncaught(Thread thread, Throwable error) {
    LOG.error("worker pool task failed with an error in thread {}", thread.getName(), error);
  }
}
