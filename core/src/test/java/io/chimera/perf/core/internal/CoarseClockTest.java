package io.chimera.perf.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

  private static boolean updaterRunning() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("chimera-coarse-clock") && t.isAlive());
  }

  @Test
  void readsFollowNanoTimeWithinAFewResolutionsWhileHeld() throws InterruptedException {
    follows(System::nanoTime, CoarseClock::read);
  }

  @Test
  void wallMillisFollowsTheWallClockWithinAFewResolutionsWhileHeld() throws InterruptedException {
    follows(System::currentTimeMillis, CoarseClock::wallMillis);
  }

  /**
   * While the clock is held, {@code coarse} read 20 ms on is past then and not past {@code real}.
   */
  private static void follows(LongSupplier real, ToLongFunction<CoarseClock> coarse)
      throws InterruptedException {
    CoarseClock clock = CoarseClock.acquire();
    try {
      long before = real.getAsLong();
      Thread.sleep(20);
      long read = coarse.applyAsLong(clock);
      long after = real.getAsLong();
      assertThat(read).isGreaterThan(before);
      assertThat(read).isLessThanOrEqualTo(after);
    } finally {
      CoarseClock.release();
    }
  }

  @Test
  void theLastReleaseStopsTheThreadAndTheNextAcquireRestartsIt() throws InterruptedException {
    CoarseClock.acquire();
    CoarseClock.acquire();
    CoarseClock.release();
    assertThat(updaterRunning()).isTrue();
    CoarseClock.release();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (updaterRunning() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(updaterRunning()).isFalse();
    CoarseClock clock = CoarseClock.acquire();
    try {
      assertThat(updaterRunning()).isTrue();
      assertThat(System.nanoTime() - clock.read()).isLessThan(TimeUnit.SECONDS.toNanos(1));
    } finally {
      CoarseClock.release();
    }
  }

  @Test
  void anUnmatchedReleaseIsHarmless() {
    CoarseClock.release();
    CoarseClock clock = CoarseClock.acquire();
    try {
      assertThat(Math.abs(System.nanoTime() - clock.read()))
          .isLessThan(TimeUnit.SECONDS.toNanos(1));
    } finally {
      CoarseClock.release();
    }
  }
}
