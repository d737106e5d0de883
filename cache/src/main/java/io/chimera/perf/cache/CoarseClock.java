package io.chimera.perf.cache;

import io.chimera.perf.core.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A coarse {@link System#nanoTime()} for the L1 hit path: one shared daemon thread stores the time
 * every {@link #RESOLUTION_NANOS}, and a read is a volatile load instead of a clock call (on a VM's
 * {@code kvm-clock} a {@code nanoTime} costs about as much as the rest of an L1 hit).
 *
 * <p>Used only when a cache runs on {@link Ticker#system()} (a fake ticker is read directly, so
 * tests see exact time). Its price: L1 expiry and refresh-ahead ages are late or early by about one
 * resolution (more if the thread is starved of CPU), i.e. an L1 entry may outlive its TTL by a
 * millisecond or so. L1 TTLs are at least 1 ms and jittered by default, so this is within their
 * noise. It is both our {@link Ticker} and Caffeine's, so L1 reads it without an adapter. The
 * thread runs while at least one cache holds the clock ({@link #acquire()} / {@link #release()}),
 * and stops when the last one is closed.
 */
final class CoarseClock implements Ticker, com.github.benmanes.caffeine.cache.Ticker {

  /** How often the shared thread refreshes the time. */
  static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  static final CoarseClock INSTANCE = new CoarseClock();

  private static final Object LOCK = new Object();
  private static int users; // guarded by LOCK
  @Nullable private static Updater updater; // guarded by LOCK; null while nobody holds the clock

  private volatile long now = System.nanoTime();

  private CoarseClock() {}

  /** The time as of the last refresh: {@link System#nanoTime()} at most about 1 ms ago. */
  @Override
  public long read() {
    return now;
  }

  /** Holds the clock (starting its thread if needed); pair with {@link #release()}. */
  static CoarseClock acquire() {
    synchronized (LOCK) {
      if (users++ == 0) {
        INSTANCE.now = System.nanoTime();
        updater = new Updater();
        updater.start();
      }
    }
    return INSTANCE;
  }

  /** Lets go of the clock; the last release stops its thread. */
  static void release() {
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
      super("chimera-cache-clock");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        INSTANCE.now = System.nanoTime();
        LockSupport.parkNanos(RESOLUTION_NANOS);
      }
    }
  }
}
