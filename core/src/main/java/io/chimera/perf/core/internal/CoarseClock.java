package io.chimera.perf.core.internal;

import io.chimera.perf.core.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A coarse {@link System#nanoTime()} for hot paths that need a time stamp but not its last
 * microsecond (an L1 hit's expiry check, a pool's idle and lease times): one shared daemon thread
 * stores the time every {@link #RESOLUTION_NANOS}, and a read is a volatile load instead of a clock
 * call (on a VM's {@code kvm-clock} a {@code nanoTime} costs 25-30 ns, about as much as a whole
 * Caffeine hit).
 *
 * <p>Users take it only when they run on {@link Ticker#system()} (a fake ticker is read directly,
 * so tests see exact time). Its price: times are late by up to about one resolution (more if the
 * thread is starved of CPU). The thread runs while at least one user holds the clock ({@link
 * #acquire()} / {@link #release()}), and stops when the last one lets go. Internal: not part of the
 * API.
 */
public final class CoarseClock implements Ticker {

  /** How often the shared thread refreshes the time. */
  public static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  public static final CoarseClock INSTANCE = new CoarseClock();

  private static final Object LOCK = new Object();
  private static int users; // guarded by LOCK
  @Nullable private static Updater updater; // guarded by LOCK; null while nobody holds the clock

  private volatile long now = System.nanoTime();
  private volatile long wallMillis = System.currentTimeMillis();

  private CoarseClock() {}

  /** The time as of the last refresh: {@link System#nanoTime()} at most about 1 ms ago. */
  @Override
  public long read() {
    return now;
  }

  /**
   * The wall-clock time as of the last refresh: {@link System#currentTimeMillis()} at most about 1
   * ms ago, for stamps that must mean the same on other hosts (a {@code currentTimeMillis} call
   * costs a VM 20-40 ns, which a bulk read would pay per key).
   */
  public long wallMillis() {
    return wallMillis;
  }

  /** Holds the clock (starting its thread if needed); pair with {@link #release()}. */
  public static CoarseClock acquire() {
    synchronized (LOCK) {
      if (users++ == 0) {
        INSTANCE.now = System.nanoTime();
        INSTANCE.wallMillis = System.currentTimeMillis();
        updater = new Updater();
        updater.start();
      }
    }
    return INSTANCE;
  }

  /** Lets go of the clock; the last release stops its thread. */
  public static void release() {
    synchronized (LOCK) {
      if (users > 0 && --users == 0 && updater != null) {
        updater.running = false;
        LockSupport.unpark(updater);
        updater = null;
      }
    }
  }

  private static final class Updater extends Thread {
    volatile boolean running = true;

    Updater() {
      super("chimera-coarse-clock");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        INSTANCE.now = System.nanoTime();
        INSTANCE.wallMillis = System.currentTimeMillis();
        LockSupport.parkNanos(RESOLUTION_NANOS);
      }
    }
  }
}
