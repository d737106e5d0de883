package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link RollingCounters#incrementConfined}: thread-confined cells, summed and folded on read. */
class ConfinedCountersTest {

  private static final int HIT = 0;
  private static final int MISS = 1;

  private final FakeTicker ticker = new FakeTicker();
  private final RollingCounters counters =
      RollingCounters.create(2, Duration.ofSeconds(60), ticker);

  @Test
  void confinedAndSharedIncrementsCountAlikeInTotalsWindowsAndRatios() {
    for (int i = 0; i < 3; i++) {
      counters.incrementConfined(HIT);
    }
    counters.increment(MISS);
    assertThat(counters.total(HIT)).isEqualTo(3);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(0.75);
    for (int s = 0; s < 61; s++) {
      ticker.advance(Duration.ofSeconds(1));
      counters.inWindow(HIT);
    }
    counters.incrementConfined(HIT);
    assertThat(counters.inWindow(HIT)).isEqualTo(1);
    assertThat(counters.total(HIT)).isEqualTo(4);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(1.0);
  }

  @Test
  void concurrentConfinedWritersLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 100_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int series = t % 2;
      boolean confined = t % 4 < 2;
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  if (confined) {
                    counters.incrementConfined(series);
                  } else {
                    counters.increment(series);
                  }
                }
              });
      w.start();
      workers.add(w);
    }
    start.countDown();
    long last = 0;
    for (int i = 0; i < 1000; i++) {
      long now = counters.total(HIT);
      assertThat(now).isGreaterThanOrEqualTo(last); // a reader never sees a count go back
      last = now;
      double r = counters.ratio(HIT, HIT, MISS);
      assertThat(Double.isNaN(r) || (r >= 0 && r <= 1)).isTrue();
    }
    for (Thread w : workers) {
      w.join();
    }
    assertThat(counters.total(HIT)).isEqualTo((long) threads / 2 * perThread);
    assertThat(counters.inWindow(MISS)).isEqualTo((long) threads / 2 * perThread);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(0.5);
  }

  @Test
  void rowsOfEndedThreadsAreFoldedSoManyShortLivedThreadsStayBounded() throws Exception {
    int rounds = 50;
    int perRound = 20;
    for (int round = 0; round < rounds; round++) {
      List<Thread> batch = new ArrayList<>();
      for (int t = 0; t < perRound; t++) {
        Thread w =
            new Thread(
                () -> {
                  for (int i = 0; i < 7; i++) {
                    counters.incrementConfined(HIT);
                  }
                });
        w.start();
        batch.add(w);
      }
      for (Thread w : batch) {
        w.join();
      }
      // registration folds once the rows have doubled, even with nobody reading
      assertThat(counters.confinedRows()).isLessThanOrEqualTo(128 + perRound);
    }
    assertThat(counters.total(HIT)).isEqualTo((long) rounds * perRound * 7);
    assertThat(counters.confinedRows()).isZero(); // all ended: folded by the read
    assertThat(counters.total(HIT)).isEqualTo((long) rounds * perRound * 7);
  }
}
