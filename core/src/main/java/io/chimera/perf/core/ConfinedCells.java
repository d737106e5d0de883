package io.chimera.perf.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counters whose increments are plain (opaque) writes to a row of cells owned by the calling
 * thread: no atomic instruction, which on the hottest paths (an L1 cache hit) costs as much as the
 * rest of the call. {@link #sum} adds every thread's row at read time.
 *
 * <p>Memory stays bounded with many short-lived threads: rows of threads that have ended are folded
 * into one shared total (and dropped) at each read, and at registration whenever the number of rows
 * has doubled since the last fold. Virtual threads (Java 21+; the class is looked up by name, so
 * this runs on 17) never get a row: they count on a shared {@link LongAdder}, as there may be
 * millions of them.
 *
 * <p>Exactness: every increment is counted once. A read sees each row's latest value as of some
 * moment during the read, like {@link LongAdder#sum()}.
 */
final class ConfinedCells {

  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

  /** Longs of padding before and after a row's counts: keeps two threads' rows off one line. */
  private static final int PAD = 8;

  private static final int MIN_FOLD_AT = 64;

  @Nullable private static final Class<?> VIRTUAL = virtualThreadClass();

  private final int series;
  private final ThreadLocal<long[]> rows;
  private final LongAdder[] shared;

  // guarded by this
  private final List<Row> live = new ArrayList<>();
  private final long[] folded;
  private int foldAt = MIN_FOLD_AT;

  ConfinedCells(int series) {
    this.series = series;
    this.shared = new LongAdder[series];
    for (int i = 0; i < series; i++) {
      shared[i] = new LongAdder();
    }
    this.folded = new long[series];
    this.rows = ThreadLocal.withInitial(this::register);
  }

  void increment(int s) {
    if (VIRTUAL != null && VIRTUAL.isInstance(Thread.currentThread())) {
      shared[s].increment();
      return;
    }
    long[] row = rows.get();
    int i = PAD + s;
    // Only this thread writes its row: a plain read-add-write, published opaquely for readers.
    CELL.setOpaque(row, i, (long) CELL.getOpaque(row, i) + 1);
  }

  synchronized long sum(int s) {
    foldEnded();
    long total = shared[s].sum() + folded[s];
    int i = PAD + s;
    for (Row r : live) {
      total += (long) CELL.getOpaque(r.counts, i);
    }
    return total;
  }

  /** Rows held, for tests. */
  synchronized int rows() {
    return live.size();
  }

  private synchronized long[] register() {
    if (live.size() >= foldAt) {
      foldEnded();
      foldAt = Math.max(MIN_FOLD_AT, 2 * live.size());
    }
    long[] counts = new long[series + 2 * PAD];
    live.add(new Row(Thread.currentThread(), counts));
    return counts;
  }

  // guarded by this
  private void foldEnded() {
    for (Iterator<Row> it = live.iterator(); it.hasNext(); ) {
      Row r = it.next();
      Thread owner = r.owner.get();
      // A thread's end happens-before isAlive() returns false, so its last writes are visible.
      if (owner == null || !owner.isAlive()) {
        for (int s = 0; s < series; s++) {
          folded[s] += (long) CELL.getVolatile(r.counts, PAD + s);
        }
        it.remove();
      }
    }
  }

  @Nullable
  private static Class<?> virtualThreadClass() {
    try {
      return Class.forName("java.lang.BaseVirtualThread", false, null);
    } catch (ClassNotFoundException | LinkageError | SecurityException e) {
      return null;
    }
  }

  private static final class Row {
    final WeakReference<Thread> owner;
    final long[] counts;

    Row(Thread owner, long[] counts) {
      this.owner = new WeakReference<>(owner);
      this.counts = counts;
    }
  }
}
