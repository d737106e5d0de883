package io.chimera.perf.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

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

  private static final VarHandle COUNT;
  private static final VarHandle OWNER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      COUNT = lookup.findVarHandle(CellFields.class, "count", long.class);
      OWNER = lookup.findVarHandle(CellFields.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Cell[] cells = new Cell[CELLS];
  private final LongAdder shared = new LongAdder();
  private long folded; // guarded by this

  /** Creates a counter at zero. */
  public OwnedCounter() {
    for (int i = 0; i < CELLS; i++) {
      cells[i] = new Cell();
    }
  }

  /** Adds one. */
  public void increment() {
    Thread t = Thread.currentThread();
    Cell c = cells[(int) t.getId() & (CELLS - 1)];
    if (c.owner == t) {
      // Only the owner writes its cell: a plain read-add-write, published opaquely for readers.
      COUNT.setOpaque(c, c.count + 1);
    } else {
      incrementSlow(c, t);
    }
  }

  private void incrementSlow(Cell c, Thread t) {
    if (c.owner == null && OWNER.compareAndSet(c, null, t)) {
      COUNT.setOpaque(c, c.count + 1);
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
    for (Cell c : cells) {
      Thread owner = c.owner;
      if (owner == null) {
        continue;
      }
      if (owner.isAlive()) {
        total += (long) COUNT.getOpaque(c);
      } else {
        // The owner's last write happens-before isAlive() returned false; nobody else writes the
        // cell until it is free again, so moving its count into the fold loses nothing.
        long last = (long) COUNT.getVolatile(c);
        folded += last;
        total += last;
        COUNT.setVolatile(c, 0L);
        c.owner = null;
      }
    }
    return total;
  }

  /** Cells claimed by a thread (tests). */
  synchronized int claimed() {
    int n = 0;
    for (Cell c : cells) {
      if (c.owner != null) {
        n++;
      }
    }
    return n;
  }

  /** Padding before a cell's fields, so two cells never share a cache line. */
  @SuppressWarnings("unused")
  private static class PadBefore {
    long p01;
    long p02;
    long p03;
    long p04;
    long p05;
    long p06;
    long p07;
  }

  @SuppressWarnings("unused")
  private static class CellFields extends PadBefore {
    volatile @org.jspecify.annotations.Nullable Thread owner;
    volatile long count;
  }

  @SuppressWarnings("unused")
  private static final class Cell extends CellFields {
    long q01;
    long q02;
    long q03;
    long q04;
    long q05;
    long q06;
    long q07;
  }
}
