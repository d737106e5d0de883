package io.chimera.perf.cache;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The default executor of Caffeine's L1 maintenance (draining its buffers, size eviction).
 *
 * <p>Maintenance triggered by a write of this cache ({@link L1Store#put}, an invalidation) runs at
 * once on the writing thread: the L1 bound holds after each write, and an L2 hit or a load (which
 * writes L1) costs no thread wake-up. Maintenance triggered by reads (Caffeine drains its read
 * buffers when they fill) goes to the common pool as in plain Caffeine, so an L1 hit never does
 * that work inline: with per-entry expiry, draining reads inline cut L1-hit throughput by several
 * times in our JMH runs.
 *
 * <p>Inside a bulk write ({@link #beginBulk}, {@code getAll}) the maintenance of the writes is held
 * back (at most {@link #MAX_DEFERRED} tasks) and run once at {@link #endBulk}: one drain of
 * Caffeine's write buffer for the whole batch instead of one per key. The L1 bound then holds when
 * the bulk call returns rather than after each of its writes.
 */
final class L1Maintenance implements Executor {

  static final L1Maintenance INSTANCE = new L1Maintenance();

  /** Tasks a bulk write holds back before it runs them anyway. */
  static final int MAX_DEFERRED = 64;

  private static final ThreadLocal<Writing> WRITING = ThreadLocal.withInitial(Writing::new);

  /** This thread's L1 write state. */
  static final class Writing {
    int depth;
    int bulk;
    final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

    void runDeferred() {
      depth++;
      try {
        Runnable r;
        while ((r = deferred.poll()) != null) {
          r.run();
        }
      } finally {
        depth--;
      }
    }
  }

  private L1Maintenance() {}

  /** Marks this thread as writing L1 until {@link #endWrite}; returns the mark to pass there. */
  static Writing beginWrite() {
    Writing w = WRITING.get();
    w.depth++;
    return w;
  }

  static void endWrite(Writing w) {
    w.depth--;
  }

  /** Holds back this thread's write maintenance until {@link #endBulk} (which must follow). */
  static Writing beginBulk() {
    Writing w = WRITING.get();
    w.bulk++;
    return w;
  }

  /** Runs the maintenance held back since {@link #beginBulk} (once the outermost bulk ends). */
  static void endBulk(Writing w) {
    if (--w.bulk == 0) {
      w.runDeferred();
    }
  }

  @Override
  public void execute(Runnable task) {
    Writing w = WRITING.get();
    if (w.depth > 0) {
      if (w.bulk > 0) {
        w.deferred.add(task);
        if (w.deferred.size() >= MAX_DEFERRED) {
          w.runDeferred();
        }
      } else {
        task.run();
      }
    } else {
      ForkJoinPool.commonPool().execute(task);
    }
  }
}
