package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPoolCloseTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static List<Thread> threadsNamed(String prefix) {
    List<Thread> found = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.isAlive()) {
        found.add(t);
      }
    }
    return found;
  }

  @Test
  void closeWithAQueueSmallerThanThePoolStillStopsEveryWorker() throws Exception {
    WorkerPool pool =
        WorkerPool.builder("tight")
            .threads(4)
            .queueCapacity(1)
            .backPressure(WorkerPool.BackPressure.BLOCK, Duration.ofSeconds(10))
            .closeTimeout(Duration.ofMillis(100))
            .meterRegistry(registry)
            .build();
    CountDownLatch started = new CountDownLatch(4);
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(
          pool.submit(
              () -> {
                started.countDown();
                try {
                  new CountDownLatch(1).await(); // a long task that honours its interrupt
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    pool.close();
    WorkerPoolShutdown report = pool.shutdown(Duration.ZERO);

    assertThat(report.terminated()).as("every worker exited").isTrue();
    assertThat(report.interruptedRunning()).hasSize(4);
    for (int i = 1; i <= 4; i++) {
      String name = "chimera-tight-" + i;
      assertThat(threadsNamed(name).stream().filter(t -> t.getName().equals(name))).isEmpty();
    }
    Await.await(() -> threadsNamed("chimera-tight-").isEmpty()); // the deadline sweeper too
    for (CompletableFuture<Void> f : running) {
      assertThat(f).isCompletedExceptionally();
      assertThat(f.handle((v, e) -> e).join()).isInstanceOf(CancellationException.class);
    }
  }

  @Test
  void closeWithIdleWorkersAndATinyQueueIsClean() {
    WorkerPool pool =
        WorkerPool.builder("idle").threads(4).queueCapacity(1).meterRegistry(registry).build();
    WorkerPoolShutdown report = pool.shutdown(Duration.ofSeconds(10));
    assertThat(report.clean()).isTrue();
    assertThat(threadsNamed("chimera-idle-").stream().map(Thread::getName))
        .allMatch(n -> n.endsWith("-deadlines"));
  }
}
