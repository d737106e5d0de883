package io.chimera.perf.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chimera.perf.core.internal.Racers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollingCountersTest {

  private static final int HIT = 0;
  private static final int MISS = 1;

  private final FakeTicker ticker = new FakeTicker();
  private final RollingCounters counters =
      RollingCounters.create(2, Duration.ofSeconds(60), ticker);

  @Test
  void ratioIsNaNBeforeAnyEvent() {
    assertThat(counters.ratio(HIT, HIT, MISS)).isNaN();
  }

  @Test
  void ratioCoversEventsInsideTheWindow() {
    add(HIT, 3);
    add(MISS, 1);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(0.75);
  }

  @Test
  void eventsOlderThanTheWindowFallOut() {
    add(MISS, 100);
    for (int s = 0; s < 61; s++) {
      ticker.advance(Duration.ofSeconds(1));
      counters.inWindow(HIT); // a scrape every second
    }
    add(HIT, 9);
    add(MISS, 1);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(0.9);
    assertThat(counters.total(MISS)).isEqualTo(101);
    assertThat(counters.inWindow(MISS)).isEqualTo(1);
  }

  @Test
  void windowSlidesSecondBySecond() {
    for (int s = 0; s < 120; s++) {
      add(HIT, 1);
      ticker.advance(Duration.ofSeconds(1));
      counters.inWindow(HIT);
    }
    // one event per second: the window holds 60 of them, give or take one resolution step
    assertThat(counters.inWindow(HIT)).isBetween(60L, 61L);
    assertThat(counters.ratePerSecond(HIT)).isCloseTo(1.0, within(0.02));
  }

  @Test
  void rateWhileYoungerThanTheWindowUsesTheAge() {
    ticker.advance(Duration.ofSeconds(10));
    add(HIT, 5);
    assertThat(counters.ratePerSecond(HIT)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void rarelyReadWindowsStillForgetOldEvents() {
    add(MISS, 50);
    ticker.advance(Duration.ofMinutes(10));
    counters.inWindow(HIT); // first read in ten minutes takes a snapshot
    ticker.advance(Duration.ofSeconds(61));
    add(HIT, 4);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(1.0);
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    int threads = 8;
    int perThread = 50_000;
    Racers racers =
        Racers.start(
            threads,
            t -> {
              int series = t % 2;
              for (int i = 0; i < perThread; i++) {
                counters.increment(series);
              }
            });
    racers.go();
    // a reader racing the writers sees ratios in range
    for (int i = 0; i < 1000; i++) {
      double r = counters.ratio(HIT, HIT, MISS);
      assertThat(Double.isNaN(r) || (r >= 0 && r <= 1)).isTrue();
    }
    racers.join();
    assertThat(counters.total(HIT)).isEqualTo((long) threads / 2 * perThread);
    assertThat(counters.inWindow(MISS)).isEqualTo((long) threads / 2 * perThread);
    assertThat(counters.ratio(HIT, HIT, MISS)).isEqualTo(0.5);
  }

  @Test
  void ownedSeriesCountInTotalsWindowsAndRatios() {
    RollingCounters c = RollingCounters.create(2, Duration.ofSeconds(60), ticker, HIT);
    for (int i = 0; i < 3; i++) {
      c.owned(HIT).increment();
    }
    c.increment(HIT);
    c.increment(MISS);
    assertThat(c.total(HIT)).isEqualTo(4);
    assertThat(c.inWindow(HIT)).isEqualTo(4);
    assertThat(c.ratio(HIT, HIT, MISS)).isEqualTo(0.8);
    for (int s = 0; s < 61; s++) {
      ticker.advance(Duration.ofSeconds(1));
      c.inWindow(MISS); // a scrape every second
    }
    c.owned(HIT).increment();
    assertThat(c.inWindow(HIT)).isEqualTo(1);
    assertThat(c.total(HIT)).isEqualTo(5);
    assertThatThrownBy(() -> c.owned(MISS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("series 1");
    assertThatThrownBy(() -> RollingCounters.create(2, Duration.ofSeconds(1), ticker, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 2");
  }

  @Test
  void rejectsBadArgumentsWithTheValue() {
    assertThatThrownBy(() -> RollingCounters.create(0, Duration.ofSeconds(1), ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> RollingCounters.create(1, Duration.ZERO, ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }

  @Test
  void systemTickerWindowsAreSampledInTheBackground() throws Exception {
    RollingCounters live = RollingCounters.create(1, Duration.ofMillis(600), Ticker.system());
    live.add(0, 10);
    // No read for two windows: only the background sampler can have taken the snapshot that
    // lets a single read see the ten events as older than the window.
    Thread.sleep(1_500);
    assertThat(live.inWindow(0)).isZero();
    assertThat(live.total(0)).isEqualTo(10);
  }

  private void add(int series, int n) {
    for (int i = 0; i < n; i++) {
      counters.increment(series);
    }
  }
}
