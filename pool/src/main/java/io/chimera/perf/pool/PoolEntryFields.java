package io.chimera.perf.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields of a {@link PoolEntry} its borrower writes on every acquire and release, padded
 * against false sharing. Entries are created one after another by the same thread, so without
 * padding two threads each working on their own entry would write to the same cache line and bounce
 * it between their cores on every acquire and release. The JDK's {@code @Contended} is internal and
 * not available to us, so the padding is done by class hierarchy (as JCTools and Caffeine do):
 * HotSpot lays out a superclass's fields before its subclass's, so the hot fields of {@link Hot}
 * sit between the 128 bytes of {@link PadBefore} and {@link PadAfter}, and {@code PoolEntry}'s own
 * (final, read-only) fields come after. (Checked with {@code Unsafe.objectFieldOffset} on JDK 17:
 * state and the time stamps at offsets 144-172, the final fields from 304.)
 */
final class PoolEntryFields {
  private PoolEntryFields() {}

  /**
   * 128 bytes (two cache lines, for the adjacent-line prefetcher) before the hot fields. The int
   * fills the 4-byte gap after a compressed object header, where HotSpot would otherwise put a
   * subclass's int (the state) next to the header and the object before.
   */
  @SuppressWarnings("unused") // padding
  abstract static class PadBefore {
    int headerGap;
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
  }

  /** What the borrower writes; see {@link PoolEntry} for what each field means. */
  abstract static class Hot extends PadBefore {
    static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Hot.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile int state;

    /** When it was last given back (or created): the start of its idle time. */
    long lastUsedAt;

    /** When it was last known good: given back, created or validated. */
    long lastCheckedAt;

    /** When it was lent, or {@link PoolEntry#NOT_BORROWED}. */
    long borrowedAt;

    volatile boolean leakReported;
  }

  /** 128 bytes after the hot fields. */
  @SuppressWarnings("unused") // padding
  abstract static class PadAfter extends Hot {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
  }
}
