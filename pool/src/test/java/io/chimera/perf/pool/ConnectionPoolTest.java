package io.chimera.perf.pool;

import static io.chimera.perf.pool.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Status;
import io.chimera.perf.core.PerformanceReview;
import io.chimera.perf.pool.FakeConnectionFactory.Conn;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final FakeConnectionFactory factory = new FakeConnectionFactory();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ConnectionPool<?>> pools = new ArrayList<>();

  @AfterEach
  void closePools() {
    pools.forEach(ConnectionPool::close);
  }

  private ConnectionPool.Builder<Conn> builder() {
    return ConnectionPool.builder("test", factory)
        .provider("fake")
        .ticker(now::get)
        .meterRegistry(registry)
        .housekeepingInterval(Duration.ofDays(1))
        .closeTimeout(Duration.ofMillis(200));
  }

  private ConnectionPool<Conn> build(ConnectionPool.Builder<Conn> b) {
    ConnectionPool<Conn> pool = b.build();
    pools.add(pool);
    return pool;
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private double evictions(RetireReason reason) {
    return PoolMeterReads.retired(registry, reason);
  }

  @Test
  void builderRejectsBadValuesNamingTheValueAndTheRange() {
    assertThatThrownBy(() -> ConnectionPool.builder("p", factory).maxSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> ConnectionPool.builder("p", factory).acquireTimeout(Duration.ZERO))
        .hasMessageContaining("acquireTimeout must be > 0");
    assertThatThrownBy(
            () ->
                ConnectionPool.builder("p", factory)
                    .maxLifetime(Duration.ofMinutes(1), Duration.ofMinutes(2)))
        .hasMessageContaining("jitter must be less than maxLifetime");
    assertThatThrownBy(() -> ConnectionPool.builder("p", factory).tag("pool", "x"))
        .hasMessageContaining("reserved key");
    assertThatThrownBy(() -> ConnectionPool.builder(" ", factory))
        .hasMessageContaining("name must be 1 to 64");
    assertThatThrownBy(() -> ConnectionPool.builder("p", factory).minIdle(5).maxSize(2).build())
        .hasMessageContaining("minIdle 5 must not exceed maxSize 2");
  }

  @Test
  void idleConnectionIsReusedAndLeaseClosesTwiceHarmlessly() throws Exception {
    ConnectionPool<Conn> pool = build(builder().maxSize(2));
    ConnectionLease<Conn> first = pool.acquire();
    Conn c = first.get();
    first.close();
    first.close();
    assertThatThrownBy(first::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pool 'test'")
        .hasMessageContaining("used after it was closed");
    try (ConnectionLease<Conn> second = pool.acquire()) {
      assertThat(second.get()).isSameAs(c);
    }
    assertThat(factory.created).hasValue(1);
    assertThat(pool.idleConnections()).isEqualTo(1);
  }

  @Test
  void invalidateRetiresTheConnectionAndCountsItBroken() throws Exception {
    ConnectionPool<Conn> pool = build(builder());
    ConnectionLease<Conn> lease = pool.acquire();
    Conn c = lease.get();
    lease.invalidate();
    lease.close();
    await(() -> c.closed.get());
    assertThat(evictions(RetireReason.BROKEN)).isEqualTo(1);
    try (ConnectionLease<Conn> next = pool.acquire()) {
      assertThat(next.get()).isNotSameAs(c);
    }
  }

  @Test
  void timeoutNamesThePoolTheWaitAndTheLastCreationFailure() throws Exception {
    factory.failing = true;
    ConnectionPool<Conn> pool = build(builder().acquireTimeout(Duration.ofSeconds(2)));
    CompletableFuture<Throwable> failure =
        CompletableFuture.supplyAsync(
            () -> {
              try (ConnectionLease<Conn> lease = pool.acquire()) {
                return new AssertionError("acquired " + lease.get().id);
              } catch (RuntimeException | InterruptedException e) {
                return e;
              }
            });
    await(() -> factory.attempts.get() >= 1 && pool.pendingAcquires() == 1);
    await(
        () ->
            registry
                    .get(MetricNames.POOL_CREATIONS)
                    .tag("outcome", "failure")
                    .functionCounter()
                    .count()
                == 1);
    advance(Duration.ofSeconds(3));
    Throwable t = failure.get(10, TimeUnit.SECONDS);
    assertThat(t)
        .isInstanceOf(ConnectionPoolTimeoutException.class)
        .hasMessageContaining("pool 'test'")
        .hasMessageContaining("after waiting 3000 ms")
        .hasMessageContaining("connection refused (fake)")
        .hasRootCauseMessage("connection refused (fake)");
    assertThat(((ConnectionPoolTimeoutException) t).waited()).isEqualTo(Duration.ofSeconds(3));
    assertThat(
            registry
                .get(MetricNames.POOL_ACQUIRE)
                .tag("outcome", "timeout")
                .functionTimer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void failedCreationsBackOffInsteadOfLoopingHot() throws Exception {
    factory.failing = true;
    ConnectionPool<Conn> pool = build(builder().maxCreationBackoff(Duration.ofSeconds(1)));
    CompletableFuture<Void> waiter =
        CompletableFuture.runAsync(
            () -> {
              try (ConnectionLease<Conn> lease = pool.acquire(Duration.ofMinutes(1))) {
                lease.get();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    await(() -> factory.attempts.get() == 1);
    Thread.sleep(100); // the waiter loops every 10 ms of real time; fake time does not move
    assertThat(factory.attempts).hasValue(1);
    advance(Duration.ofMillis(11));
    await(() -> factory.attempts.get() == 2);
    factory.failing = false;
    advance(Duration.ofMillis(21));
    waiter.get(10, TimeUnit.SECONDS);
    assertThat(factory.created).hasValue(1);
  }

  @Test
  void maxLifetimeRetiresIdleConnectionsButNeverOneInUse() throws Exception {
    ConnectionPool<Conn> pool =
        build(builder().maxLifetime(Duration.ofMinutes(10), Duration.ofMinutes(1)));
    ConnectionLease<Conn> held = pool.acquire();
    ConnectionLease<Conn> other = pool.acquire();
    Conn idle = other.get();
    other.close();
    advance(Duration.ofMinutes(11));
    pool.engine().maintainer.housekeep();
    await(() -> idle.closed.get());
    assertThat(held.get().closed).isFalse();
    assertThat(evictions(RetireReason.MAX_LIFETIME)).isEqualTo(1);
    Conn heldConn = held.get();
    held.close();
    assertThat(evictions(RetireReason.MAX_LIFETIME)).isEqualTo(2);
    await(() -> heldConn.closed.get());
  }

  @Test
  void idleTimeoutRetiresOnlyConnectionsAboveMinIdle() throws Exception {
    ConnectionPool<Conn> pool =
        build(builder().minIdle(1).maxSize(3).idleTimeout(Duration.ofMinutes(1)));
    ConnectionLease<Conn> a = pool.acquire();
    ConnectionLease<Conn> b = pool.acquire();
    ConnectionLease<Conn> c = pool.acquire();
    a.close();
    b.close();
    c.close();
    advance(Duration.ofMinutes(2));
    pool.engine().maintainer.housekeep();
    assertThat(pool.idleConnections()).isEqualTo(1);
    assertThat(evictions(RetireReason.IDLE_TIMEOUT)).isEqualTo(2);
  }

  @Test
  void validatesOnBorrowOnlyAfterTheIdleThreshold() throws Exception {
    ConnectionPool<Conn> pool = build(builder().validateAfterIdle(Duration.ofSeconds(1)));
    Conn c;
    try (ConnectionLease<Conn> lease = pool.acquire()) {
      c = lease.get();
    }
    try (ConnectionLease<Conn> lease = pool.acquire()) {
      assertThat(lease.get()).isSameAs(c);
    }
    assertThat(factory.validations).hasValue(0);
    c.healthy = false;
    advance(Duration.ofSeconds(2));
    try (ConnectionLease<Conn> lease = pool.acquire()) {
      assertThat(lease.get()).isNotSameAs(c);
    }
    assertThat(factory.validations).hasValue(1);
    assertThat(evictions(RetireReason.VALIDATION_FAILED)).isEqualTo(1);
  }

  @Test
  void keepaliveValidatesIdleConnectionsAndStaleOnesAreCounted() throws Exception {
    ConnectionPool<Conn> pool =
        build(
            builder()
                .keepaliveInterval(Duration.ofSeconds(30))
                .staleAfter(Duration.ofSeconds(20))
                .idleTimeout(Duration.ZERO));
    ConnectionLease<Conn> a = pool.acquire();
    ConnectionLease<Conn> b = pool.acquire();
    Conn dead = b.get();
    a.close();
    b.close();
    advance(Duration.ofSeconds(25));
    assertThat(registry.get(MetricNames.POOL_CONNECTIONS_STALE).gauge().value()).isEqualTo(2);
    dead.healthy = false;
    advance(Duration.ofSeconds(10));
    pool.engine().maintainer.housekeep();
    assertThat(factory.validations).hasValue(2);
    assertThat(pool.idleConnections()).isEqualTo(1);
    assertThat(evictions(RetireReason.VALIDATION_FAILED)).isEqualTo(1);
    assertThat(registry.get(MetricNames.POOL_CONNECTIONS_STALE).gauge().value()).isEqualTo(1);
  }

  @Test
  void minIdleIsFilledInTheBackground() throws Exception {
    ConnectionPool<Conn> pool = build(builder().minIdle(3).maxSize(5));
    await(() -> pool.idleConnections() == 3);
    assertThat(factory.created).hasValue(3);
  }

  @Test
  void leaseHeldPastTheThresholdIsReportedAsALeakOnce() throws Exception {
    ConnectionPool<Conn> pool = build(builder().leakDetectionThreshold(Duration.ofSeconds(10)));
    try (ConnectionLease<Conn> lease = pool.acquire()) {
      assertThat(lease.get().closed).isFalse();
      advance(Duration.ofSeconds(5));
      pool.engine().maintainer.housekeep();
      assertThat(pool.engine().maintainer.leaksDetected()).isZero();
      advance(Duration.ofSeconds(6));
      pool.engine().maintainer.housekeep();
      pool.engine().maintainer.housekeep();
      assertThat(pool.engine().maintainer.leaksDetected()).isEqualTo(1);
    }
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    ConnectionPool<Conn> pool = build(builder().maxSize(1));
    ConnectionLease<Conn> held = pool.acquire();
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> first = borrowAndRecord(pool, "first", order);
    await(() -> pool.pendingAcquires() == 1);
    CompletableFuture<Void> second = borrowAndRecord(pool, "second", order);
    await(() -> pool.pendingAcquires() == 2);
    held.close();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(order).containsExactly("first", "second");
  }

  @Test
  void acquiresServedAtOnceCountWithZeroWaitAndWaitersWithTheirWait() throws Exception {
    ConnectionPool<Conn> pool = build(builder().maxSize(1));
    ConnectionLease<Conn> held = pool.acquire(); // waits for the creation; the clock stands still
    held.close();
    held = pool.acquire(); // idle at once
    CompletableFuture<Void> waiter = borrowAndRecord(pool, "waiter", new ArrayList<>());
    await(() -> pool.pendingAcquires() == 1);
    advance(Duration.ofMillis(250));
    held.close();
    waiter.get(10, TimeUnit.SECONDS);
    FunctionTimer success =
        registry.get(MetricNames.POOL_ACQUIRE).tag("outcome", "success").functionTimer();
    assertThat(success.count()).isEqualTo(3);
    assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
  }

  @Test
  void acquireWaitsGoToAPercentileHistogramOnlyWhenAskedTo() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ConnectionPool<Conn> plain = build(builder().meterRegistry(prometheus));
    plain.acquire().close();
    assertThat(prometheus.scrape())
        .contains("chimera_pool_acquire_seconds_count{outcome=\"success\",pool=\"test\"")
        .doesNotContain("chimera_pool_acquire_seconds_bucket");
    plain.close();

    ConnectionPool<Conn> pool =
        build(builder().maxSize(1).acquireHistogram(true).meterRegistry(prometheus));
    ConnectionLease<Conn> held = pool.acquire();
    held.close();
    held = pool.acquire(); // idle at once: zero wait
    CompletableFuture<Void> waiter = borrowAndRecord(pool, "waiter", new ArrayList<>());
    await(() -> pool.pendingAcquires() == 1);
    advance(Duration.ofMillis(250));
    held.close();
    waiter.get(10, TimeUnit.SECONDS);
    Timer success = prometheus.get(MetricNames.POOL_ACQUIRE).tag("outcome", "success").timer();
    assertThat(success.count()).isEqualTo(3);
    assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(success.max(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(prometheus.scrape()).contains("chimera_pool_acquire_seconds_bucket{");
  }

  private static CompletableFuture<Void> borrowAndRecord(
      ConnectionPool<Conn> pool, String name, List<String> order) {
    return CompletableFuture.runAsync(
        () -> {
          try (ConnectionLease<Conn> lease = pool.acquire(Duration.ofMinutes(1))) {
            order.add(name);
            lease.get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  @Test
  void closeRetiresIdleAtOnceAndLeasedOnesWhenReturned() throws Exception {
    ConnectionPool<Conn> pool = build(builder());
    ConnectionLease<Conn> held = pool.acquire();
    ConnectionLease<Conn> idle = pool.acquire();
    Conn idleConn = idle.get();
    idle.close();
    pool.close();
    assertThat(idleConn.closed).isTrue();
    assertThat(held.get().closed).isFalse();
    Conn heldConn = held.get();
    held.close();
    assertThat(heldConn.closed).isTrue();
    assertThat(factory.open).hasValue(0);
    assertThatThrownBy(pool::acquire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pool 'test' is closed");
    assertThat(registry.find(MetricNames.POOL_ACQUIRE).meters()).isEmpty();
  }

  @Test
  void metricsFeedThePerformanceReview() throws Exception {
    ConnectionPool<Conn> pool = build(builder().maxSize(4).staleAfter(Duration.ofSeconds(30)));
    ConnectionLease<Conn> a = pool.acquire();
    try (ConnectionLease<Conn> b = pool.acquire()) {
      b.get();
    }
    assertThat(registry.get(MetricNames.POOL_UTILIZATION).tag("pool", "test").gauge().value())
        .isEqualTo(0.25);
    assertThat(
            registry
                .get(MetricNames.POOL_CONNECTIONS)
                .tags("state", "active", "provider", "fake")
                .gauge()
                .value())
        .isEqualTo(1);
    PerformanceReview.Report report = PerformanceReview.review(registry);
    assertThat(report.row(KeyMetric.POOL_UTILIZATION).value()).isEqualTo(0.25);
    assertThat(report.row(KeyMetric.POOL_UTILIZATION).status()).isEqualTo(Status.OK);
    assertThat(report.row(KeyMetric.POOL_STALE_CONNECTIONS).status()).isEqualTo(Status.OK);
    assertThat(report.row(KeyMetric.POOL_AVG_WAIT).status()).isEqualTo(Status.OK);
    assertThat(report.row(KeyMetric.POOL_FAILURE_RATE).value()).isEqualTo(0.0);
    List<ConnectionLease<Conn>> rest = List.of(pool.acquire(), pool.acquire(), pool.acquire());
    assertThatThrownBy(() -> pool.acquire(Duration.ZERO).close())
        .isInstanceOf(ConnectionPoolTimeoutException.class);
    rest.forEach(ConnectionLease::close);
    a.close();
    PerformanceReview.Report after = PerformanceReview.review(registry);
    assertThat(after.row(KeyMetric.POOL_FAILURE_RATE).status()).isEqualTo(Status.ALERT);
  }
}
