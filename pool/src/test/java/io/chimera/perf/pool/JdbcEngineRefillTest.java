package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many replacements a refill opens (what the pool lacks of its minimum idle, counting the
 * connections already open, warm ones included, and those in flight), and how a fresh one is
 * swapped in under a dead one. No server: the driver is a fake data source that counts the
 * connections it opens.
 */
class JdbcEngineRefillTest {
  private final AtomicInteger opened = new AtomicInteger();
  private JdbcEngine engine;
  private PoolMeters meters;

  @BeforeEach
  void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setDataSource(fakeDriver());
    config.setMaximumPoolSize(4);
    config.validate(); // minimum idle = pool size, as JdbcPool sees it
    engine = new JdbcEngine(JdbcPools.builder(config), config, "refill");
    meters =
        new PoolMeters(
            new SimpleMeterRegistry(), "refill", "fake", Tags.empty(), new NoGauges(), false);
    engine.meters(meters);
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
    return fakeConnection(new ArrayList<>(), "");
  }

  /**
   * A connection that logs every call but the Object methods, as {@code name(args)}; one whose name
   * is {@code refuse} throws on the calls the name follows.
   */
  private Connection fakeConnection(List<String> log, String refuse) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class, Statement.class},
            (proxy, method, args) -> {
              String name = method.getName();
              if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
              }
              if (name.equals("equals")) {
                return proxy == args[0];
              }
              log.add(name + (args == null ? "()" : Arrays.toString(args)));
              if (name.equals(refuse)) {
                throw new SQLException("refused " + name, "0A000");
              }
              return switch (name) {
                case "isValid" -> true;
                case "isClosed", "execute" -> false;
                case "createStatement" -> proxy; // the fake is its own statement
                default -> null;
              };
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
  void aFreshConnectionSwappedInGetsTheSessionSettingsInHikariOrder() throws Exception {
    List<String> deadLog = new ArrayList<>();
    TrackedConnection dead = new TrackedConnection(fakeConnection(deadLog, ""), null, engine);
    engine.tracked.add(dead);
    Executor executor = Runnable::run;
    // as HikariCP sets up a connection, then a borrower's change it resets on return
    dead.setNetworkTimeout(executor, 5_000);
    dead.setReadOnly(true);
    dead.setAutoCommit(false);
    dead.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    dead.setSchema("app");
    dead.setNetworkTimeout(executor, 0);
    dead.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    dead.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    dead.broken = true;

    List<String> freshLog = new ArrayList<>();
    TrackedConnection fresh = new TrackedConnection(fakeConnection(freshLog, ""), null, engine);
    engine.tracked.add(fresh);
    assertThat(dead.adopt(fresh, "set application_name = 'x'", true)).isTrue();

    assertThat(freshLog)
        .containsExactly(
            "setReadOnly[true]",
            "setAutoCommit[false]",
            "setTransactionIsolation[8]",
            "setSchema[app]",
            "createStatement()",
            "execute[set application_name = 'x']",
            "close()",
            "commit()",
            "setNetworkTimeout[" + executor + ", 0]");
    assertThat(deadLog).endsWith("close()");
    assertThat(dead.broken).isFalse();
    assertThat(engine.tracked).containsExactly(dead);
    assertThat(engine.swaps()).isEqualTo(1);
    assertThat(meters.retirements(RetireReason.BROKEN)).isEqualTo(1);
    dead.setAutoCommit(true); // now reaches the fresh connection
    assertThat(freshLog).endsWith("setAutoCommit[true]");
  }

  @Test
  void aFreshConnectionThatRefusesASettingIsNotSwappedIn() throws Exception {
    List<String> deadLog = new ArrayList<>();
    TrackedConnection dead = new TrackedConnection(fakeConnection(deadLog, ""), null, engine);
    dead.setSchema("app");
    TrackedConnection fresh =
        new TrackedConnection(fakeConnection(new ArrayList<>(), "setSchema"), null, engine);
    assertThat(dead.adopt(fresh, null, false)).isFalse();
    dead.setAutoCommit(true);
    assertThat(deadLog).containsExactly("setSchema[app]", "setAutoCommit[true]");
    assertThat(engine.swaps()).isZero();
  }

  @Test
  void validationSwapsADeadIdleConnectionButNeverOneABorrowerHolds() throws Exception {
    TrackedConnection lent =
        new TrackedConnection(fakeConnection(new ArrayList<>(), "isValid"), null, engine);
    engine.tracked.add(lent);
    lent.lent();
    assertThatThrownBy(() -> lent.isValid(1)).isInstanceOf(SQLException.class);
    assertThat(engine.swaps()).isZero();

    List<String> idleLog = new ArrayList<>();
    TrackedConnection idle =
        new TrackedConnection(fakeConnection(idleLog, "isValid"), null, engine);
    engine.tracked.add(idle);
    assertThat(idle.isValid(1)).isTrue(); // HikariCP's check: answered by the fresh connection
    assertThat(idleLog).containsExactly("isValid[1]", "close()");
    assertThat(engine.swaps()).isEqualTo(1);
    assertThat(meters.retirements(RetireReason.VALIDATION_FAILED)).isEqualTo(1);
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
