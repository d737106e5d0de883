package io.chimera.perf.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnedCounterTest {

  @Test
  void countsEveryIncrementOfManyThreadsExactly() throws InterruptedException {
    OwnedCounter counter = new OwnedCounter();
    int threads = 3 * OwnedCounter.CELLS; // more threads than cells: some share, via the adder
    int each = 10_000;
    Racers racers =
        Racers.start(
            threads,
            i -> {
              for (int n = 0; n < each; n++) {
                counter.increment();
              }
            });
    racers.go();
    long midway = counter.sum();
    racers.join();
    assertThat(midway).isBetween(0L, (long) threads * each);
    assertThat(counter.sum()).isEqualTo((long) threads * each);
    assertThat(counter.sum()).isEqualTo((long) threads * each);
  }

  @Test
  void cellsOfEndedThreadsAreFreedAndTheirCountsKept() throws InterruptedException {
    OwnedCounter counter = new OwnedCounter();
    for (int round = 0; round < 5; round++) {
      Racers racers =
          Racers.start(
              OwnedCounter.CELLS,
              i -> {
                for (int n = 0; n < 100; n++) {
                  counter.increment();
                }
              });
      racers.go();
      racers.join();
      assertThat(counter.claimed()).isPositive();
      assertThat(counter.sum()).isEqualTo((round + 1L) * OwnedCounter.CELLS * 100);
      assertThat(counter.claimed()).isZero();
    }
  }

  @Test
  void theCallingThreadKeepsItsCellAcrossSums() {
    OwnedCounter counter = new OwnedCounter();
    counter.increment();
    assertThat(counter.sum()).isEqualTo(1);
    counter.increment();
    counter.increment();
    assertThat(counter.sum()).isEqualTo(3);
    assertThat(counter.claimed()).isEqualTo(1);
  }
}
