package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.chimera.perf.core.internal.CoarseClock;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A JDBC {@link DataSource} backed by a {@link HikariDataSource}, built by {@link JdbcPools}, with
 * the PERF-008 pool meters and stale/dead-connection handling HikariCP lacks:
 *
 * <ul>
 *   <li>a borrowed connection is checked with a round trip only when there is a reason: a sibling
 *       just failed with a connection-loss SQLState (08xxx, 57P01-03), or its socket shows the
 *       server spoke or hung up while it was idle. A dead one (found so, or by HikariCP's own
 *       validation) is set aside and the borrow takes another; the refill opens fresh physical
 *       connections in parallel, and each is swapped in under a dead one's pool entry with the
 *       session settings replayed ({@link SessionSettings}) and given back, so HikariCP keeps its
 *       entries and its one-at-a-time adder (30 ms per connection) is left only the connections
 *       that failed while lent. A dead one is evicted if the database is down or no fresh one came
 *       within HikariCP's connection timeout (or half its leak-detection threshold);
 *   <li>a background watcher finds dead idle connections without traffic and sets them aside the
 *       same way, so they are replaced before traffic returns;
 *   <li>with the database unreachable and the pool empty, {@link #getConnection()} fails at once
 *       with a {@link SQLTransientConnectionException} carrying the last cause and its SQLState,
 *       while one background prober retries;
 *   <li>live gauges, creation attempts by outcome and retirements by reason.
 * </ul>
 *
 * <p>Borrow through this object, not through the unwrapped {@link HikariDataSource}: the checks
 * above rely on knowing which connections are lent.
 *
 * <p>A borrow adds no clock call and no round trip to HikariCP's own: its wait ({@code
 * chimera.pool.acquire}), the time stamps and the suspicion window are read from a shared
 * millisecond clock (a volatile load; {@code System.nanoTime} costs 25-30 ns on a VM), so a borrow
 * served within the same millisecond counts with zero wait and longer waits are measured to about a
 * millisecond, which is what the PERF-008 average wait (50 ms target) needs.
 */
public final class JdbcPool implements DataSource, AutoCloseable {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JdbcPool.class);
  private static final int MAX_EVICTIONS_PER_BORROW = 64;

  private final String name;
  private final JdbcEngine engine;
  private final HikariDataSource hikari;
  private final HikariPoolMXBean mx;
  private final PoolMeters meters;
  private final long socketCheckAfterIdleNanos;
  private final int validationSeconds;
  private final long swapPatienceNanos;

  JdbcPool(JdbcPools.Builder b) throws SQLException {
    HikariConfig config = new HikariConfig();
    b.config.copyStateTo(config);
    this.name = config.getPoolName() == null ? "jdbc" : config.getPoolName();
    config.setPoolName(name);
    // HikariCP's defaults (pool size 10, minimum idle = pool size) filled in now: the engine sizes
    // its parallel refill by them, and the user's configuration may have left them unset (-1)
    config.validate();
    this.engine = new JdbcEngine(b, config, name);
    this.meters =
        new PoolMeters(b.registry, name, b.provider, b.tags, new Gauges(), b.acquireHistogram);
    engine.meters(meters);
    config.setDataSource(engine);
    config.setJdbcUrl(null);
    config.setDriverClassName(null);
    config.setDataSourceProperties(new java.util.Properties());
    SQLExceptionOverride user = config.getExceptionOverride();
    config.setExceptionOverride(
        new SQLExceptionOverride() {
          @java.lang.Override
          public SQLExceptionOverride.Override adjudicate(SQLException e) {
            if (JdbcEngine.isConnectionLoss(e)) {
              engine.siblingFailed();
            }
            return user == null ? SQLExceptionOverride.Override.CONTINUE_EVICT : user.adjudicate(e);
          }
        });
    // idle time is measured on the coarse clock, whose ticks are a little over its resolution
    // apart: without the half tick, every borrow that crossed a tick (about one a millisecond per
    // thread) would count as idle for 1 ms and pay a socket system call
    this.socketCheckAfterIdleNanos = b.socketCheckAfterIdleNanos + CoarseClock.RESOLUTION_NANOS / 2;
    // a dead connection waits for a swap no longer than a borrow waits, nor long enough for
    // HikariCP's leak detection (which timed it from its borrow) to report it
    long leakMs = config.getLeakDetectionThreshold();
    this.swapPatienceNanos =
        TimeUnit.MILLISECONDS.toNanos(
            leakMs > 0
                ? Math.min(config.getConnectionTimeout(), leakMs / 2)
                : config.getConnectionTimeout());
    this.validationSeconds =
        (int) Math.max(1, TimeUnit.MILLISECONDS.toSeconds(config.getValidationTimeout()));
    try {
      this.hikari = new HikariDataSource(config);
    } catch (RuntimeException e) {
      engine.close();
      meters.remove();
      throw e;
    }
    engine.swaps.attach(hikari);
    this.mx = hikari.getHikariPoolMXBean();
    var unused =
        engine
            .executor()
            .scheduleWithFixedDelay(
                this::watchQuietly, b.watchNanos, b.watchNanos, TimeUnit.NANOSECONDS);
  }

  /** The gauges, read live from HikariCP's pool at scrape time. */
  private final class Gauges implements PoolMeters.Source {
    @Override
    public int activeConnections() {
      return mx == null ? 0 : mx.getActiveConnections();
    }

    @Override
    public int idleConnections() {
      return mx == null ? 0 : mx.getIdleConnections();
    }

    @Override
    public int pendingAcquires() {
      return mx == null ? 0 : mx.getThreadsAwaitingConnection();
    }

    @Override
    public int maxConnections() {
      return hikari == null ? 0 : hikari.getMaximumPoolSize();
    }

    @Override
    public int staleConnections() {
      return engine.staleConnections();
    }
  }

  /**
   * Borrows a connection; close it to give it back.
   *
   * @return a live connection
   * @throws SQLTransientConnectionException if none became available within HikariCP's connection
   *     timeout, or at once if the database is unreachable and the pool is empty (then carrying the
   *     last connection failure and its SQLState)
   * @throws SQLException if HikariCP fails otherwise
   */
  @Override
  public Connection getConnection() throws SQLException {
    long start = engine.now();
    if (engine.isDown() && mx.getTotalConnections() == 0) {
      meters.failed(engine.now() - start);
      throw unreachable();
    }
    try {
      for (int evicted = 0; ; evicted++) {
        Connection c = hikari.getConnection();
        TrackedConnection t = c.unwrap(TrackedConnection.class);
        long now = engine.now();
        boolean ok = evicted < MAX_EVICTIONS_PER_BORROW ? usable(t, now) : !t.broken;
        if (!ok && !(engine.swaps.replaceNow(t) && usable(t, now))) {
          engine.swaps.replaceLater(c, t); // swapped when the refill opens one; this borrow goes on
          continue;
        }
        t.lent();
        meters.acquired(now - start);
        return c;
      }
    } catch (SQLTransientConnectionException e) {
      meters.timedOut(engine.now() - start);
      throw e;
    } catch (SQLException | RuntimeException e) {
      meters.failed(engine.now() - start);
      throw e;
    }
  }

  /**
   * Whether HikariCP runs on this thread inside this class's borrow or watcher. HikariCP validates
   * connections idle for half a second before it lends them, and retires those that fail, leaving
   * their replacements to its adder (one every 30 ms); there, {@link TrackedConnection} instead
   * marks a dead connection broken and reports it valid, so HikariCP hands it to the borrow or
   * watcher, which queues it for a swap and takes another. Asked only when a validation failed, so
   * walking the stack costs nothing on the way of a healthy borrow, and no borrower's own call
   * (whose transaction must not move to another session) can pass for it.
   */
  static boolean inBorrow() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames.anyMatch(
                    f ->
                        f.getClassName().equals(JdbcPool.class.getName())
                            && (f.getMethodName().equals("getConnection")
                                || f.getMethodName().equals("watch"))));
  }

  /** True unless there is a reason to doubt the connection and a round trip confirms it. */
  private boolean usable(TrackedConnection t, long now) {
    if (t.broken) {
      return false;
    }
    boolean doubt =
        engine.doubts(t, now)
            || (now - t.lastReturnedAt > socketCheckAfterIdleNanos && t.socketLooksDead());
    return !doubt || t.check(validationSeconds);
  }

  private SQLTransientConnectionException unreachable() {
    SQLException last = engine.lastFailure();
    long downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - engine.downSince());
    return new SQLTransientConnectionException(
        "pool '"
            + name
            + "': database unreachable for "
            + downMs
            + " ms and no connection left; failing fast while a background probe retries"
            + (last == null ? "" : "; last failure: " + last.getMessage()),
        last == null ? "08001" : last.getSQLState(),
        last);
  }

  // ---- the watcher: dead idle connections without traffic -------------------------------

  private void watchQuietly() {
    try {
      watch();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("pool '{}': watcher pass failed", name, e);
    }
  }

  /**
   * Borrows idle connections that look dead (or all, after a sibling failed) and checks them. The
   * live ones go straight back; each dead one waits for a fresh physical connection from the
   * refill, which swaps it in and gives it back, so HikariCP keeps its entries and never has to add
   * them one at a time. Dead ones that waited longer than HikariCP's connection timeout (or half
   * its leak-detection threshold) are evicted.
   */
  void watch() throws SQLException {
    engine.swaps.evictOlderThan(swapPatienceNanos);
    engine.swaps.serveFromWarm();
    long now = System.nanoTime();
    if (engine.isDown() || hikari.isClosed() || (!engine.suspect(now) && !anyIdleLooksDead())) {
      return;
    }
    // every missing connection at once, not only the dead idle ones seen now: those that failed
    // while lent (HikariCP evicted them already) would otherwise wait for HikariCP's adder, which
    // asks for one connection at a time
    engine.warm.refill();
    List<Connection> healthy = new ArrayList<>();
    try {
      int idle = mx.getIdleConnections();
      for (int i = 0; i < idle && mx.getIdleConnections() > 0; i++) {
        Connection c = hikari.getConnection();
        TrackedConnection t = c.unwrap(TrackedConnection.class);
        t.leased = true;
        if (t.broken
            || ((engine.doubts(t, now) || t.socketLooksDead()) && !t.check(validationSeconds))) {
          engine.swaps.replaceLater(c, t);
        } else {
          healthy.add(c);
        }
      }
    } finally {
      for (Connection c : healthy) {
        c.close();
      }
    }
  }

  private boolean anyIdleLooksDead() {
    for (TrackedConnection t : engine.tracked) {
      if (!t.leased && !t.isClosedByPool() && (t.broken || t.socketLooksDead())) {
        return true;
      }
    }
    return false;
  }

  // ---- plumbing -------------------------------------------------------------------------

  /**
   * The pool name (HikariCP's pool name, default {@code jdbc}).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /** The driver side, for tests. */
  JdbcEngine engine() {
    return engine;
  }

  /**
   * HikariCP's live pool statistics.
   *
   * @return the pool bean
   */
  public HikariPoolMXBean poolStats() {
    return mx;
  }

  /**
   * Not supported: credentials come from the {@link HikariConfig}.
   *
   * @throws SQLFeatureNotSupportedException always
   */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("pool '" + name + "': use getConnection()");
  }

  /** Closes HikariCP's pool, stops the prober and watcher, and removes the meters. */
  @Override
  public void close() {
    engine.close();
    hikari.close();
    meters.remove();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return hikari.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    hikari.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    hikari.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return hikari.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return hikari.getParentLogger();
  }

  /** Unwraps to this pool, the {@link HikariDataSource}, or what it wraps. */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    if (iface.isInstance(hikari)) {
      return iface.cast(hikari);
    }
    return hikari.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(hikari) || hikari.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "JdbcPool[" + name + "]";
  }
}
