package io.chimera.perf.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * An exact counter for the hottest paths (an L1 cache hit): an increment is a plain write to a cell
 * its thread owns, no atomic instruction. On a small machine a {@link LongAdder} increment's
 * compare-and-swap costs about a quarter of a whole Caffeine hit.
 *
 * <p>A thread uses the cell its id maps to ({@code id & (cells - 1)}). The first thread to count
 * there claims the cell with one compare-and-swap; from then on only that thread writes it, so a
 * read-add-write without atomics loses nothing. A thread whose cell belongs to another thread
 * counts on a shared {@link LongAdder} instead: still exact, only slower. {@link #sum} adds every
 * cell and the adder; it also frees the cells of threads that have ended (folding their counts into
 * a total), so a later thread can claim them and no ended thread is kept reachable for long.
 *
 * <p>A cell's owner is recorded as its thread id, which assumes what HotSpot does: ids are positive
 * (a counter from 1) and never reused, and {@link Thread#getId()} is not overridden to return
 * another thread's id. (The specification allows a terminated thread's id to be reused; no JDK this
 * library runs on does it.)
 *
 * <p>Exactness: every increment is counted once. A sum taken while threads count sees each cell's
 * value as of some moment during the sum, like {@link LongAdder#sum()}. Internal: not part of the
 * API.
 *
 * <pre>{@code
 * OwnedCounter hits = new OwnedCounter();
 * hits.increment();          // hot path
 * long total = hits.sum();   // at scrape time
 * }</pre>
 */
public final class OwnedCounter {

  /** Cells per counter: enough that a typical pool's threads (consecutive ids) rarely share. */
  static final int CELLS = 64;

  /** Longs per cell: 128 bytes, so no two cells share a cache line or its prefetched neighbour. */
  private static final int STRIDE = 16;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

  /**
   * Cell {@code k} lives at {@code (k + 1) * STRIDE}: its owner's thread id (0: free), then its
   * count; the first stride only pads. One flat array, so an increment is one load fewer than with
   * a cell object per thread.
   */
  private final long[] cells = new long[(CELLS + 1) * STRIDE];

  /** The thread owning each claimed cell, so that {@link #sum} can tell whether it has ended. */
  private final @Nullable Thread[] owners = new Thread[CELLS];

  private final LongAdder shared = new LongAdder();
  private long folded; // guarded by this

  /** Creates a counter at zero. */
  public OwnedCounter() {}

  /** Adds one. */
  public void increment() {
    long id = Thread.currentThread().getId();
    long[] c = cells;
    int i = ((int) id & (CELLS - 1)) * STRIDE + STRIDE;
    if (c[i] == id) {
      // Only the owner writes its count: a plain read-add-write, published opaquely for readers.
      // Only the thread with this id ever stores it here (ids are unique; see the class notes).
      LONGS.setOpaque(c, i + 1, c[i + 1] + 1);
    } else {
      incrementSlow(c, i, id);
    }
  }

  private void incrementSlow(long[] c, int i, long id) {
    if (LONGS.compareAndSet(c, i, 0L, id)) {
      THREADS.setRelease(owners, i / STRIDE - 1, Thread.currentThread());
      LONGS.setOpaque(c, i + 1, c[i + 1] + 1);
    } else {
      shared.increment();
    }
  }

  /**
   * Returns the total so far, and frees the cells of threads that have ended.
   *
   * @return every increment made before this call started, and perhaps some made during it
   */
  public synchronized long sum() {
    long total = folded + shared.sum();
    for (int k = 0; k < CELLS; k++) {
      int i = (k + 1) * STRIDE;
      if ((long) LONGS.getVolatile(cells, i) == 0) {
        continue;
      }
      Thread owner = (Thread) THREADS.getAcquire(owners, k);
      if (owner == null || owner.isAlive()) {
        // null: claimed a moment ago, its owner not yet recorded
        total += (long) LONGS.getOpaque(cells, i + 1);
      } else {
        // The owner's last write happens-before isAlive() returned false; nobody else writes the
        // cell until it is free again, so moving its count into the fold loses nothing. The
        // count is zeroed before the cell is freed, and a new owner claims it with a
        // compare-and-set that sees both.
        long last = (long) LONGS.getVolatile(cells, i + 1);
        folded += last;
        total += last;
        LONGS.setVolatile(cells, i + 1, 0L);
        THREADS.setVolatile(owners, k, null);
        LONGS.setVolatile(cells, i, 0L);
      }
    }
    return total;
  }

  /** Cells claimed by a thread (tests). */
  synchronized int claimed() {
    int n = 0;
    for (int k = 0; k < CELLS; k++) {
      if ((long) LONGS.getVolatile(cells, (k + 1) * STRIDE) != 0) {
        n++;
      }
    }
    return n;
  }
}
