package io.chimera.perf.pool;

import static io.chimera.perf.pool.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead connections met by a borrow, through a whole {@link JdbcPool} over HikariCP and a fake
 * driver: the borrow goes on to another connection, the dead ones get fresh physical connections
 * under HikariCP's own entries (also when HikariCP's own validation finds them), and when no fresh
 * one can come they are evicted. The background watcher is slowed to once an hour so that only
 * borrows act.
 */
class JdbcPoolSwapTest {
  private final FakeJdbc fake = new FakeJdbc();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private JdbcPool pool;
  private final List<TrackedConnection> entries = new ArrayList<>();
  private final List<Connection> physical = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    start(2);
  }

  /** A pool of two over the fake driver, both connections borrowed once and given back. */
  private void start(int minIdle) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setDataSource(fake.dataSource());
    config.setPoolName("swap");
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(250);
    pool =
        JdbcPools.builder(config)
            .meterRegistry(registry)
            .deadConnectionCheckInterval(Duration.ofHours(1))
            .suspectWindow(Duration.ofHours(1))
            .build();
    await(() -> pool.poolStats().getIdleConnections() == minIdle);
    entries.clear();
    physical.clear();
    try (Connection a = pool.getConnection();
        Connection b = pool.getConnection()) {
      entries.add(a.unwrap(TrackedConnection.class));
      entries.add(b.unwrap(TrackedConnection.class));
    }
    for (TrackedConnection t : entries) {
      physical.add(t.delegate);
    }
  }

  @AfterEach
  void tearDown() {
    pool.close();
  }

  private double retired(RetireReason reason) {
    return PoolMeterReads.retired(registry, reason);
  }

  /** Both physical connections die; a connection-loss error elsewhere casts doubt on them. */
  private void killBoth() {
    fake.dead.addAll(physical);
    pool.engine().siblingFailed();
  }

  @Test
  void aBorrowThatDrawsDeadConnectionsGetsAFreshOneUnderHikarisOwnEntry() throws Exception {
    killBoth();
    try (Connection c = pool.getConnection()) {
      TrackedConnection t = c.unwrap(TrackedConnection.class);
      assertThat(entries).contains(t);
      assertThat(physical).doesNotContain(t.delegate);
      assertThat(c.isValid(1)).isTrue();
    }
    await(() -> pool.engine().swaps.count() == 2 && pool.poolStats().getIdleConnections() == 2);
    assertThat(pool.poolStats().getTotalConnections()).isEqualTo(2);
    for (TrackedConnection t : entries) {
      assertThat(physical).doesNotContain(t.delegate);
    }
    assertThat(retired(RetireReason.BROKEN)).isEqualTo(2);
    assertThat(fake.opened).hasSize(4);
  }

  @Test
  void hikarisOwnValidationInsideABorrowHandsDeadConnectionsOverForASwap() throws Exception {
    pool.close();
    // HikariCP validates a connection idle longer than this before lending it (default 500 ms)
    System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", "0");
    try {
      start(2);
    } finally {
      System.clearProperty("com.zaxxer.hikari.aliveBypassWindowMs");
    }
    fake.dead.addAll(physical); // no error seen anywhere: only HikariCP's validation finds them
    Thread.sleep(5); // idle for more than the window
    try (Connection c = pool.getConnection()) {
      TrackedConnection t = c.unwrap(TrackedConnection.class);
      assertThat(entries).contains(t);
      assertThat(physical).doesNotContain(t.delegate);
    }
    await(() -> pool.engine().swaps.count() == 2 && pool.poolStats().getIdleConnections() == 2);
    assertThat(pool.poolStats().getTotalConnections()).isEqualTo(2);
    assertThat(retired(RetireReason.VALIDATION_FAILED)).isEqualTo(2);
  }

  @Test
  void deadConnectionsOfAPoolGrownPastItsMinimumIdleAreSwappedToo() throws Exception {
    pool.close();
    start(0); // no idle minimum: the two connections exist only because both were borrowed
    killBoth();
    try (Connection c = pool.getConnection()) {
      assertThat(entries).contains(c.unwrap(TrackedConnection.class));
    }
    await(() -> pool.engine().swaps.count() == 2 && pool.poolStats().getIdleConnections() == 2);
    assertThat(pool.poolStats().getTotalConnections()).isEqualTo(2);
  }

  @Test
  void aBorrowersOwnIsValidOnADeadConnectionAnswersFalseAndNeverSwaps() throws Exception {
    try (Connection c = pool.getConnection()) {
      TrackedConnection t = c.unwrap(TrackedConnection.class);
      Connection before = t.delegate;
      fake.dead.add(before);
      assertThat(c.isValid(1)).isFalse();
      assertThat(t.delegate).isSameAs(before);
    }
    assertThat(pool.engine().swaps.count()).isZero();
  }

  @Test
  void deadConnectionsAreEvictedWhenNoFreshOneCanComeAndTheBorrowTimesOut() throws Exception {
    killBoth();
    fake.unreachable = new SQLException("connection refused", "08001");
    long start = System.nanoTime();
    assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    await(() -> pool.poolStats().getTotalConnections() == 0);
    assertThat(pool.engine().swaps.count()).isZero();
    assertThat(retired(RetireReason.BROKEN)).isEqualTo(2);
  }
}
