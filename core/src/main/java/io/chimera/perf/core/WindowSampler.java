package io.chimera.perf.core;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the whole JVM that snapshots every live {@link RollingCounters} on the
 * system ticker, so windows stay exact however rarely they are read. Holds counters weakly: a
 * dropped cache or pool does not leak through here.
 */
final class WindowSampler {

  private static final long PERIOD_MILLIS = 250;
  private static final ConcurrentLinkedQueue<WeakReference<RollingCounters>> LIVE =
      new ConcurrentLinkedQueue<>();

  private WindowSampler() {}

  static void register(RollingCounters counters) {
    LIVE.add(new WeakReference<>(counters));
    Holder.start();
  }

  private static void tick() {
    for (Iterator<WeakReference<RollingCounters>> it = LIVE.iterator(); it.hasNext(); ) {
      RollingCounters counters = it.next().get();
      if (counters == null) {
        it.remove();
      } else {
        try {
          counters.sampleNow();
        } catch (RuntimeException e) {
          // a faulty ticker must not stop sampling for everyone else
          it.remove();
        }
      }
    }
  }

  /** Starts the thread on first use only. */
  private static final class Holder {
    private static final ScheduledExecutorService EXECUTOR =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chimera-perf-window-sampler");
              t.setDaemon(true);
              return t;
            });

    static {
      var unused =
          EXECUTOR.scheduleAtFixedRate(
              WindowSampler::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    static void start() {
      // class initialization does the work
    }
  }
}
