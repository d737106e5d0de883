package io.chimera.perf.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

  private static boolean updaterRunning() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("chimera-coarse-clock") && t.isAlive());
  }

  @Test
  void readsFollowNanoTimeWithinAFewResolutionsWhileHeld() throws InterruptedException {
    CoarseClock clock = CoarseClock.acquire();
    try {
      long before = System.nanoTime();
      Thread.sleep(20);
      long read = clock.read();
      long after = System.nanoTime();
      assertThat(read).isGreaterThan(before);
      assertThat(read).isLessThanOrEqualTo(after);
    } finally {
      CoarseClock.release();
    }
  }

  @Test
  void wallMillisFollowsTheWallClockWithinAFewResolutionsWhileHeld() throws InterruptedException {
    CoarseClock clock = CoarseClock.acquire();
    try {
      long before = System.currentTimeMillis();
      Thread.sleep(20);
      long read = clock.wallMillis();
      long after = System.currentTimeMillis();
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
