package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
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
  private final FakeJdbc fake = new FakeJdbc();
  private JdbcEngine engine;
  private PoolMeters meters;

  @BeforeEach
  void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setDataSource(fake.dataSource());
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

  private Connection fakeConnection() {
    return fake.connection(new ArrayList<>(), "");
  }

  private TrackedConnection pooled() {
    TrackedConnection c = new TrackedConnection(fakeConnection(), null, engine);
    engine.tracked.add(c);
    return c;
  }

  /** Waits for the opens a refill scheduled on the engine's executor to finish. */
  private void quiesce() throws InterruptedException {
    var executor = engine.executor();
    Await.await(() -> executor.getCompletedTaskCount() >= executor.getTaskCount());
  }

  @Test
  void aFreshConnectionSwappedInGetsTheSessionSettingsInHikariOrder() throws Exception {
    List<String> deadLog = new ArrayList<>();
    TrackedConnection dead = new TrackedConnection(fake.connection(deadLog, ""), null, engine);
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
    TrackedConnection fresh = new TrackedConnection(fake.connection(freshLog, ""), null, engine);
    engine.tracked.add(fresh);
    assertThat(dead.adopt(fresh, "set application_name = 'x'", true, 250)).isTrue();

    assertThat(freshLog)
        .containsExactly(
            "setNetworkTimeout[" + executor + ", 250]",
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
    assertThat(engine.swaps.count()).isEqualTo(1);
    assertThat(meters.retirements(RetireReason.BROKEN)).isEqualTo(1);
    dead.setAutoCommit(true); // now reaches the fresh connection
    assertThat(freshLog).endsWith("setAutoCommit[true]");
  }

  @Test
  void aFreshConnectionThatRefusesASettingIsNotSwappedIn() throws Exception {
    List<String> deadLog = new ArrayList<>();
    TrackedConnection dead = new TrackedConnection(fake.connection(deadLog, ""), null, engine);
    dead.setSchema("app");
    TrackedConnection fresh =
        new TrackedConnection(fake.connection(new ArrayList<>(), "setSchema"), null, engine);
    assertThat(dead.adopt(fresh, null, false, 250)).isFalse();
    dead.setAutoCommit(true);
    assertThat(deadLog).containsExactly("setSchema[app]", "setAutoCommit[true]");
    assertThat(engine.swaps.count()).isZero();
  }

  @Test
  void opensEveryMissingConnectionAtOnce() throws InterruptedException {
    pooled();
    engine.warm.refill();
    quiesce();
    assertThat(fake.opened.size()).isEqualTo(3);
    engine.warm.refill(); // the three warm ones count as live: nothing more to open
    quiesce();
    assertThat(fake.opened.size()).isEqualTo(3);
  }

  @Test
  void brokenAndClosedConnectionsAreReplacedWhetherLentOrIdle() throws Exception {
    TrackedConnection lent = pooled();
    lent.leased = true;
    TrackedConnection idle = pooled();
    pooled();
    pooled();
    engine.warm.refill();
    quiesce();
    assertThat(fake.opened.size()).isZero(); // four live connections: the pool is full

    lent.broken = true; // failed while lent
    idle.reason = RetireReason.EVICTED;
    idle.close(); // retired by HikariCP
    engine.warm.refill();
    quiesce();
    assertThat(fake.opened.size()).isEqualTo(2);
  }
}
