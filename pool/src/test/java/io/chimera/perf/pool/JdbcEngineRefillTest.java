package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many replacements a refill opens: what the pool lacks of its minimum idle, counting the
 * connections already open (warm ones included) and those in flight. No server: the driver is a
 * fake data source that counts the connections it opens.
 */
class JdbcEngineRefillTest {
  private final AtomicInteger opened = new AtomicInteger();
  private JdbcEngine engine;

  @BeforeEach
  void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setDataSource(fakeDriver());
    config.setMaximumPoolSize(4);
    config.validate(); // minimum idle = pool size, as JdbcPool sees it
    engine = new JdbcEngine(JdbcPools.builder(config), config, "refill");
    engine.meters(
        new PoolMeters(new SimpleMeterRegistry(), "refill", "fake", Tags.empty(), new NoGauges()));
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static final class NoGauges implements PoolMeters.Source {
    @Override
    public int activeConnections() {
      return 0;
    }

    @Override
    public int idleConnections() {
      return 0;
    }

    @Override
    public int pendingAcquires() {
      return 0;
    }

    @Override
    public int maxConnections() {
      return 0;
    }

    @Override
    public int staleConnections() {
      return 0;
    }
  }

  private DataSource fakeDriver() {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                opened.incrementAndGet();
                return fakeConnection();
              }
              return method.getName().equals("hashCode") ? System.identityHashCode(proxy) : null;
            });
  }

  private Connection fakeConnection() {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "isValid", "isClosed" -> false;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> null;
                });
  }

  private TrackedConnection pooled() {
    TrackedConnection c = new TrackedConnection(fakeConnection(), null, engine);
    engine.tracked.add(c);
    return c;
  }

  /** Waits for the opens a refill scheduled on the engine's executor to finish. */
  private void quiesce() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    var executor = engine.executor();
    while (executor.getCompletedTaskCount() < executor.getTaskCount()) {
      assertThat(System.nanoTime()).as("background opens finished").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  @Test
  void opensEveryMissingConnectionAtOnce() throws InterruptedException {
    pooled();
    engine.refill();
    quiesce();
    assertThat(opened.get()).isEqualTo(3);
    engine.refill(); // the three warm ones count as live: nothing more to open
    quiesce();
    assertThat(opened.get()).isEqualTo(3);
  }

  @Test
  void brokenAndClosedConnectionsAreReplacedWhetherLentOrIdle() throws Exception {
    TrackedConnection lent = pooled();
    lent.leased = true;
    TrackedConnection idle = pooled();
    pooled();
    pooled();
    engine.refill();
    quiesce();
    assertThat(opened.get()).isZero(); // four live connections: the pool is full

    lent.broken = true; // failed while lent
    idle.reason = RetireReason.EVICTED;
    idle.close(); // retired by HikariCP
    engine.refill();
    quiesce();
    assertThat(opened.get()).isEqualTo(2);
  }
}
