package io.chimera.perf.pool;

import static io.chimera.perf.pool.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008.KeyMetric;
import io.chimera.perf.core.Perf008.Status;
import io.chimera.perf.core.PerformanceReview;
import io.chimera.perf.testing.PostgresExtension;
import io.chimera.perf.testing.PostgresServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** JdbcPools against a real PostgreSQL: terminated backends, a stopped and restarted server. */
@ExtendWith(PostgresExtension.class)
class JdbcPoolIT {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static HikariConfig config(PostgresServer pg, String name, int size, long timeoutMs) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(timeoutMs);
    return config;
  }

  private JdbcPool pool(PostgresServer pg, String name, int size, long timeoutMs)
      throws SQLException {
    return JdbcPools.builder(config(pg, name, size, timeoutMs))
        .meterRegistry(registry)
        .provider("postgres")
        .build();
  }

  private static int selectOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private double count(String meter, String key, String value) {
    return registry.find(meter).tag(key, value).functionCounter() == null
        ? 0
        : registry.get(meter).tag(key, value).functionCounter().count();
  }

  private static void warmUp(JdbcPool pool, int n) throws SQLException {
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Connection c = pool.getConnection();
      assertThat(selectOne(c)).isEqualTo(1);
      held.add(c);
    }
    for (Connection c : held) {
      c.close();
    }
  }

  @Test
  void afterEveryBackendIsTerminatedOnlyLiveConnectionsAreHandedOut(PostgresServer pg)
      throws Exception {
    try (JdbcPool pool = pool(pg, "terminate", 4, 5_000)) {
      warmUp(pool, 4);
      List<Integer> victims = backendPids(pg);
      assertThat(pg.terminateAllBackends()).isGreaterThanOrEqualTo(4);
      // pg_terminate_backend only signals: "after the kill" is once those backends have exited
      await(() -> alive(pg, victims) == 0);
      for (int i = 0; i < 20; i++) {
        try (Connection c = pool.getConnection()) {
          assertThat(selectOne(c)).isEqualTo(1);
        }
      }
      await(() -> count(MetricNames.POOL_EVICTIONS, "reason", "broken") >= 4);
      assertThat(
              registry
                  .get(MetricNames.POOL_ACQUIRE)
                  .tag("outcome", "success")
                  .functionTimer()
                  .count())
          .isEqualTo(24);
      // the four dead ones are replaced in the background (minimum idle is the pool size)
      await(() -> count(MetricNames.POOL_CREATIONS, "outcome", "success") >= 8);
    }
  }

  @Test
  void deadIdleConnectionsAreReplacedWithoutTraffic(PostgresServer pg) throws Exception {
    try (JdbcPool pool = pool(pg, "idle-dead", 4, 5_000)) {
      warmUp(pool, 4);
      double before = count(MetricNames.POOL_CREATIONS, "outcome", "success");
      pg.terminateAllBackends();
      await(
          () ->
              count(MetricNames.POOL_EVICTIONS, "reason", "broken") >= 4
                  && pool.poolStats().getIdleConnections() == 4);
      assertThat(count(MetricNames.POOL_CREATIONS, "outcome", "success"))
          .isGreaterThanOrEqualTo(before + 4);
    }
  }

  @Test
  void aSwappedInConnectionCarriesThePoolsSessionSettings(PostgresServer pg) throws Exception {
    try (Connection admin = pg.connect();
        Statement s = admin.createStatement()) {
      s.execute("create schema if not exists chimera_swap");
    }
    HikariConfig config = config(pg, "swap", 2, 5_000);
    config.setAutoCommit(false);
    config.setReadOnly(true);
    config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
    config.setSchema("chimera_swap");
    config.setConnectionInitSql("set application_name = 'chimera-swap'");
    try (JdbcPool pool = JdbcPools.builder(config).meterRegistry(registry).build()) {
      warmUp(pool, 2);
      List<Integer> victims = backendPids(pg);
      pg.terminateAllBackends();
      await(() -> pool.engine().swaps.count() >= 2 && pool.poolStats().getIdleConnections() == 2);
      // HikariCP kept both entries: it neither retired nor added any
      assertThat(pool.poolStats().getTotalConnections()).isEqualTo(2);
      assertThat(count(MetricNames.POOL_EVICTIONS, "reason", "broken")).isEqualTo(2);
      List<Connection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Connection c = pool.getConnection();
          held.add(c);
          assertThat(c.getAutoCommit()).isFalse();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "select pg_backend_pid(), current_schema(),"
                          + " current_setting('transaction_isolation'),"
                          + " current_setting('transaction_read_only'),"
                          + " current_setting('application_name')")) {
            rs.next();
            assertThat(victims).doesNotContain(rs.getInt(1));
            assertThat(rs.getString(2)).isEqualTo("chimera_swap");
            assertThat(rs.getString(3)).isEqualTo("serializable");
            assertThat(rs.getString(4)).isEqualTo("on");
            assertThat(rs.getString(5)).isEqualTo("chimera-swap");
          }
          c.rollback();
        }
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }
    }
  }

  @Test
  void acquireTimesOutNamingThePoolWhenAllAreInUse(PostgresServer pg) throws Exception {
    try (JdbcPool pool =
            JdbcPools.builder(config(pg, "busy", 1, 250))
                .meterRegistry(registry)
                .acquireHistogram(true)
                .build();
        Connection held = pool.getConnection()) {
      assertThat(selectOne(held)).isEqualTo(1);
      assertThatThrownBy(pool::getConnection)
          .isInstanceOf(SQLTransientConnectionException.class)
          .hasMessageContaining("busy")
          .hasMessageContaining("timed out");
      // a Timer, where the default is a FunctionTimer (count and total only)
      Timer timeouts = registry.get(MetricNames.POOL_ACQUIRE).tag("outcome", "timeout").timer();
      assertThat(timeouts.count()).isEqualTo(1);
      // waited the connection timeout, measured on the millisecond clock
      assertThat(timeouts.totalTime(TimeUnit.MILLISECONDS)).isBetween(240.0, 5_000.0);
      assertThat(registry.get(MetricNames.POOL_UTILIZATION).gauge().value()).isEqualTo(1.0);
    }
  }

  @Test
  void stoppedDatabaseFailsFastThenRecoversWithoutLeaks(PostgresServer pg) throws Exception {
    Assumptions.assumeTrue(pg.controllable(), "needs a server the test can stop");
    try (JdbcPool pool = pool(pg, "outage", 4, 30_000)) {
      warmUp(pool, 4);
      pg.stop();
      try {
        outage(pool);
      } finally {
        pg.start();
      }
      await(
          () -> {
            try (Connection c = pool.getConnection()) {
              return selectOne(c) == 1;
            } catch (SQLException e) {
              return false;
            }
          });
      warmUp(pool, 4);
      assertThat(pool.poolStats().getActiveConnections()).isZero();
      assertThat(pool.poolStats().getTotalConnections()).isLessThanOrEqualTo(4);
    }
    await(() -> backends(pg) == 0);
  }

  private void outage(JdbcPool pool) throws Exception {
    SQLException failure = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (failure == null || pool.poolStats().getTotalConnections() > 0) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      try (Connection c = pool.getConnection()) {
        selectOne(c);
      } catch (SQLException e) {
        failure = e;
      }
    }
    long start = System.nanoTime();
    assertThatThrownBy(pool::getConnection)
        .isInstanceOf(SQLTransientConnectionException.class)
        .hasMessageContaining("pool 'outage'")
        .hasMessageContaining("database unreachable")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("08...|57P0."));
    // the configured connection timeout is 30 s: failing fast means not waiting for it
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    assertThat(PerformanceReview.review(registry).row(KeyMetric.POOL_FAILURE_RATE).status())
        .isEqualTo(Status.ALERT);
    assertThat(count(MetricNames.POOL_CREATIONS, "outcome", "failure")).isGreaterThan(0);
  }

  private static List<Integer> backendPids(PostgresServer pg) throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select pid from pg_stat_activity where pid <> pg_backend_pid()"
                    + " and backend_type = 'client backend' and datname = current_database()")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }

  private static int alive(PostgresServer pg, List<Integer> pids) {
    try {
      List<Integer> now = backendPids(pg);
      now.retainAll(pids);
      return now.size();
    } catch (SQLException e) {
      return -1;
    }
  }

  private static int backends(PostgresServer pg) {
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from pg_stat_activity where pid <> pg_backend_pid()"
                    + " and backend_type = 'client backend' and datname = current_database()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      return -1;
    }
  }
}
