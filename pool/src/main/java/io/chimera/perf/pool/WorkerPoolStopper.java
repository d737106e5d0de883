package io.chimera.perf.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown sequence of a {@link WorkerPool}, run once; later calls get the first report.
 *
 * <ol>
 *   <li>One poison pill per worker goes behind the queued work (waiting for room up to the grace
 *       period), and the workers are given the rest of the grace period to exit.
 *   <li>If any worker is still alive: every worker is told to stop (a flag), the queue is drained
 *       and its tasks abandoned, running tasks are interrupted, every worker thread is interrupted
 *       (waking those waiting in {@code take()}), and the workers get the grace period again. No
 *       pill is needed here, so a queue smaller than the number of threads cannot leave a worker
 *       waiting forever in {@code take()}.
 * </ol>
 */
final class WorkerPoolStopper {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  private final String name;
  private final BlockingQueue<WorkerTask<?>> queue;
  private final WorkerTask<?> poison;
  private final WorkerPoolWorker[] workers;
  private final WorkerPoolDeadlines deadlines;
  private final WorkerPoolMeters meters;
  private @Nullable WorkerPoolShutdown report;

  WorkerPoolStopper(
      String name,
      BlockingQueue<WorkerTask<?>> queue,
      WorkerTask<?> poison,
      WorkerPoolWorker[] workers,
      WorkerPoolDeadlines deadlines,
      WorkerPoolMeters meters) {
    this.name = name;
    this.queue = queue;
    this.poison = poison;
    this.workers = workers;
    this.deadlines = deadlines;
    this.meters = meters;
  }

  synchronized WorkerPoolShutdown stop(long graceNanos) {
    WorkerPoolShutdown done = report;
    if (done != null) {
      return done;
    }
    boolean interrupted = false;
    long end = System.nanoTime() + graceNanos;
    List<String> queued = new ArrayList<>();
    List<String> running = new ArrayList<>();
    try {
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
      for (WorkerPoolWorker w : workers) {
        w.requestStop(); // a worker that takes a task from now on abandons it and exits
      }
      List<WorkerTask<?>> left = new ArrayList<>();
      queue.drainTo(left);
      for (WorkerTask<?> t : left) {
        if (t != poison) {
          t.leftQueue();
          if (t.abandonQueued()) {
            queued.add(t.describe());
          }
        }
      }
      for (WorkerPoolWorker w : workers) {
        WorkerTask<?> t = w.current;
        if (t != null && t.abandonRunning()) {
          running.add(t.describe());
        }
      }
      for (WorkerPoolWorker w : workers) {
        w.wake(); // after the tasks' own interrupts, so they are reported as interrupted
      }
      try {
        joinWorkers(System.nanoTime() + graceNanos);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    deadlines.stop();
    meters.remove();
    WorkerPoolShutdown r = new WorkerPoolShutdown(name, queued, running, !anyWorkerAlive());
    if (r.abandoned() > 0 || !r.terminated()) {
      LOG.warn(
          "worker pool '{}' closed: {} queued task(s) abandoned {}, {} running task(s)"
              + " interrupted {}, all workers exited: {}",
          name,
          queued.size(),
          queued,
          running.size(),
          running,
          r.terminated());
    }
    report = r;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return r;
  }

  private void joinWorkers(long endNanos) throws InterruptedException {
    for (WorkerPoolWorker w : workers) {
      long left = endNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(w.thread, left);
      }
    }
  }

  private boolean anyWorkerAlive() {
    for (WorkerPoolWorker w : workers) {
      if (w.thread.isAlive()) {
        return true;
      }
    }
    return false;
  }
}
