package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.pool.FakeConnectionFactory.Conn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionPoolConcurrencyTest {

  @Test
  void manyThreadsNeverHoldMoreThanMaxSizeNorShareAConnection() throws Exception {
    FakeConnectionFactory factory = new FakeConnectionFactory();
    int threads = 16;
    int rounds = 3_000;
    AtomicInteger leased = new AtomicInteger();
    AtomicInteger maxLeased = new AtomicInteger();
    AtomicInteger shared = new AtomicInteger();
    AtomicInteger timeouts = new AtomicInteger();
    ExecutorService pool16 = Executors.newFixedThreadPool(threads);
    try (ConnectionPool<Conn> pool =
        ConnectionPool.builder("many", factory)
            .maxSize(4)
            .acquireTimeout(Duration.ofSeconds(10))
            .validateAfterIdle(Duration.ofMillis(1))
            .maxLifetime(Duration.ofMillis(50), Duration.ofMillis(10))
            .housekeepingInterval(Duration.ofMillis(5))
            .build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool16.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < rounds; i++) {
                    try (ConnectionLease<Conn> lease = pool.acquire()) {
                      int n = leased.incrementAndGet();
                      maxLeased.accumulateAndGet(n, Math::max);
                      Conn c = lease.get();
                      if (c.users.incrementAndGet() != 1) {
                        shared.incrementAndGet();
                      }
                      if (ThreadLocalRandom.current().nextInt(100) == 0) {
                        c.users.decrementAndGet();
                        leased.decrementAndGet();
                        lease.invalidate();
                        continue;
                      }
                      c.users.decrementAndGet();
                      leased.decrementAndGet();
                    } catch (ConnectionPoolTimeoutException e) {
                      timeouts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(pool.engine().maintainer.totalConnections()).isLessThanOrEqualTo(4);
    } finally {
      pool16.shutdownNow();
    }
    assertThat(maxLeased.get()).isBetween(1, 4);
    assertThat(factory.maxOpen.get()).isLessThanOrEqualTo(4 + 4); // closes run in the background
    assertThat(shared).hasValue(0);
    assertThat(timeouts).hasValue(0);
    assertThat(factory.open).hasValue(0);
  }
}
