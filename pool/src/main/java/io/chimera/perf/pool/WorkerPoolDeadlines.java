package io.chimera.perf.pool;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread per pool that enforces task deadlines, by looking every {@link #SWEEP_INTERVAL_MS}
 * ms at the tasks that have one: queued ones past their deadline are dropped (their queue entry
 * becomes a tombstone), running ones are interrupted.
 *
 * <p>A submitter hands a task over with one CAS on an intrusive stack ({@link
 * WorkerTask#nextTracked}): no lock, no allocation, no per-task timer to arm or cancel. Finished
 * tasks are forgotten on the next sweep. With nothing to watch the thread parks until a task
 * arrives. Time is the pool's ticker, read once per sweep, so a fake ticker moves deadlines in
 * tests; the sweep itself runs in real time.
 */
final class WorkerPoolDeadlines implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPoolDeadlines.class);

  /** How often deadlines are checked: the most a deadline can be overshot by, plus run time. */
  static final long SWEEP_INTERVAL_MS = 10;

  private final WorkerPool pool;
  private final AtomicReference<@Nullable WorkerTask<?>> inbox = new AtomicReference<>();
  private final ArrayList<WorkerTask<?>> watched = new ArrayList<>();
  private final Thread thread;
  private volatile boolean idle;
  private volatile boolean stopped;

  WorkerPoolDeadlines(WorkerPool pool) {
    this.pool = pool;
    this.thread = new Thread(this, "chimera-" + pool.name() + "-deadlines");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Hot path for deadline tasks: one CAS, and an unpark only when the sweeper sleeps. */
  void track(WorkerTask<?> task) {
    WorkerTask<?> head;
    do {
      head = inbox.get();
      task.nextTracked = head;
    } while (!inbox.compareAndSet(head, task));
    if (idle) {
      LockSupport.unpark(thread);
    }
  }

  /** Stops the thread; close deals with whatever tasks are left. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  @Override
  public void run() {
    while (!stopped) {
      for (WorkerTask<?> t = inbox.getAndSet(null); t != null; ) {
        WorkerTask<?> next = t.nextTracked;
        t.nextTracked = null;
        watched.add(t);
        t = next;
      }
      if (!watched.isEmpty()) {
        sweep();
      }
      if (watched.isEmpty()) {
        idle = true;
        if (inbox.get() == null && !stopped) {
          LockSupport.park(this);
        }
        idle = false;
      } else {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(SWEEP_INTERVAL_MS));
      }
    }
  }

  private void sweep() {
    long now = pool.ticker().read();
    int kept = 0;
    for (int i = 0, n = watched.size(); i < n; i++) {
      WorkerTask<?> t = watched.get(i);
      boolean keep;
      try {
        keep = t.sweep(now);
      } catch (RuntimeException e) { // a dependent stage's action, run by completion
        LOG.error("deadline sweep of worker pool '{}' failed on a task", pool.name(), e);
        keep = false;
      }
      if (keep) {
        watched.set(kept++, t);
      }
    }
    watched.subList(kept, watched.size()).clear();
  }
}
