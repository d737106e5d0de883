package io.chimera.perf.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The default executor of Caffeine's L1 maintenance (eviction, expiry, removal bookkeeping).
 *
 * <p>Maintenance triggered by a write of this cache ({@link TieredCache#l1Put}, an invalidation)
 * runs at once on the writing thread: the L1 bound holds after each write, and an L2 hit or a load
 * (which writes L1) costs no thread wake-up. Maintenance triggered by reads (Caffeine drains its
 * read buffers when they fill) goes to the common pool as in plain Caffeine, so an L1 hit never
 * does that work inline: with per-entry expiry, draining reads inline cut L1-hit throughput by
 * several times in our JMH runs.
 */
final class L1Maintenance implements Executor {

  static final L1Maintenance INSTANCE = new L1Maintenance();

  private static final ThreadLocal<int[]> WRITING = ThreadLocal.withInitial(() -> new int[1]);

  private L1Maintenance() {}

  /** Marks this thread as writing L1 until {@link #endWrite}; returns the mark to pass there. */
  static int[] beginWrite() {
    int[] depth = WRITING.get();
    depth[0]++;
    return depth;
  }

  static void endWrite(int[] depth) {
    depth[0]--;
  }

  @Override
  public void execute(Runnable task) {
    if (WRITING.get()[0] > 0) {
      task.run();
    } else {
      ForkJoinPool.commonPool().execute(task);
    }
  }
}
