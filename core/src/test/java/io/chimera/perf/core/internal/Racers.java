package io.chimera.perf.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/** Test threads held at a start line and released together, for races. */
public final class Racers {
  private final CountDownLatch start = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();

  private Racers() {}

  /**
   * Starts {@code count} threads, each running {@code body} with its index once {@link #go} is
   * called.
   */
  public static Racers start(int count, IntConsumer body) {
    Racers racers = new Racers();
    for (int i = 0; i < count; i++) {
      int index = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  racers.start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                body.accept(index);
              });
      t.start();
      racers.threads.add(t);
    }
    return racers;
  }

  /** Releases every thread. */
  public void go() {
    start.countDown();
  }

  /** Waits for every thread to finish. */
  public void join() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
  }
}
