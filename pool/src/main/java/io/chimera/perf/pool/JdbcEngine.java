package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import io.chimera.perf.core.internal.CoarseClock;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The driver side of a {@link JdbcPool}: the {@link DataSource} HikariCP opens physical connections
 * through. It counts every attempt by outcome, wraps each connection in a {@link TrackedConnection}
 * (opened by its {@link JdbcConnector}), hands out the connections its {@link WarmConnections}
 * opened ahead in parallel, and when the database is unreachable runs one background prober instead
 * of letting callers wait, holding HikariCP's adder until the prober gets through so no back-off
 * sleep delays the recovery.
 */
final class JdbcEngine implements DataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JdbcPool.class);

  private final String name;
  private final JdbcConnector connector;
  private final JdbcPools.Builder cfg;
  private final HikariConfig config;
  final Swaps swaps;
  final Set<TrackedConnection> tracked = ConcurrentHashMap.newKeySet();
  final WarmConnections warm;
  private final AtomicBoolean probing = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor executor;
  private final Object recovered = new Object();
  private final CoarseClock clock;
  private final AtomicBoolean clockHeld = new AtomicBoolean(true);
  private PoolMeters meters;
  private volatile boolean down;
  private volatile SQLException lastFailure;
  private volatile long downSince;
  private volatile long suspectUntil;
  private volatile long failedAt;
  private volatile boolean closing;
  private volatile int loginTimeout;

  /**
   * @param config the pool's own validated copy of the user's configuration: HikariCP's defaults
   *     (pool size 10, minimum idle = pool size) are filled in, which the user's copy may lack
   */
  JdbcEngine(JdbcPools.Builder cfg, HikariConfig config, String name) throws SQLException {
    this.cfg = cfg;
    this.config = config;
    this.swaps = new Swaps(this, config);
    this.name = name;
    this.connector = new JdbcConnector(config);
    this.warm = new WarmConnections(this, config);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            cfg.refillThreads + 1,
            r -> {
              Thread t = new Thread(r, "chimera-jdbc-" + name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setKeepAliveTime(1, TimeUnit.MINUTES);
    executor.allowCoreThreadTimeOut(true);
    this.clock = CoarseClock.acquire(); // last: nothing above may fail while it is held
  }

  String name() {
    return name;
  }

  void meters(PoolMeters meters) {
    this.meters = meters;
  }

  ScheduledThreadPoolExecutor executor() {
    return executor;
  }

  static boolean isConnectionLoss(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLRecoverableException
        || (state != null
            && (state.startsWith("08")
                || state.equals("57P01")
                || state.equals("57P02")
                || state.equals("57P03")));
  }

  /** A connection just failed with a connection-loss error: distrust the others for a while. */
  void siblingFailed() {
    long now = System.nanoTime();
    failedAt = now;
    suspectUntil = now + cfg.suspectWindowNanos;
  }

  /**
   * Millisecond-precision time for every borrow and return (lent at, returned at, wait): the shared
   * {@link CoarseClock}, a volatile load instead of a 25-30 ns {@code System.nanoTime}.
   */
  long now() {
    return clock.read();
  }

  boolean suspect(long now) {
    return suspectUntil - now > 0;
  }

  /**
   * Whether a sibling's recent connection loss casts doubt on {@code c}: only on connections last
   * known good before (or at) that failure, so replacements opened (or connections checked) since
   * are borrowed without a round trip.
   */
  boolean doubts(TrackedConnection c, long now) {
    return suspectUntil - now > 0 && c.verifiedAt - failedAt <= 0;
  }

  boolean isDown() {
    return down;
  }

  boolean isClosing() {
    return closing;
  }

  /** Whether new connections may be opened: the database is up and the pool is not closing. */
  boolean canOpen() {
    return !down && !closing;
  }

  SQLException lastFailure() {
    return lastFailure;
  }

  long downSince() {
    return downSince;
  }

  // ---- opening physical connections -----------------------------------------------------

  /** HikariCP's adder (and its start-up check) calls this for every physical connection. */
  @Override
  public Connection getConnection() throws SQLException {
    return getConnection(config.getUsername(), config.getPassword());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    TrackedConnection c = warm.take();
    if (c != null) {
      return c;
    }
    if (down) {
      return awaitRecovery();
    }
    c = warm.awaitPrefetched();
    if (c != null) {
      return c;
    }
    // HikariCP asks for the rest of its minimum idle one at a time (30 ms apart): open those in
    // parallel now, so they are connected by the time it asks
    int deficit = warm.lacking() - 1;
    if (deficit > 0) {
      warm.prefetch(deficit);
    }
    return open(user, password);
  }

  /** {@code fresh}'s physical connection now serves another; the dead one it replaced retires. */
  void swapped(TrackedConnection fresh, RetireReason why) {
    retired(fresh, why); // the wrapper goes; the reason counts for the physical connection replaced
    swaps.counted();
  }

  /** Holds HikariCP's adder while the prober works, so it never sleeps through the recovery. */
  private Connection awaitRecovery() throws SQLException {
    long deadline = System.nanoTime() + cfg.holdNanos;
    synchronized (recovered) {
      while (down && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(recovered, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    TrackedConnection c = warm.take();
    if (c != null) {
      return c;
    }
    SQLException last = lastFailure;
    throw new SQLTransientConnectionException(
        "pool '" + name + "': database unreachable",
        last == null ? "08001" : last.getSQLState(),
        last);
  }

  /** Opens a physical connection, counting the attempt; a failure marks the database down. */
  TrackedConnection open(String user, String password) throws SQLException {
    TrackedConnection c;
    try {
      c = connector.connect(user, password, this);
    } catch (SQLException e) {
      meters.creationFailed();
      markDown(e);
      throw e;
    }
    meters.created();
    tracked.add(c);
    return c;
  }

  private void markDown(SQLException e) {
    lastFailure = e;
    if (!down) {
      downSince = System.nanoTime();
      down = true;
      swaps.evictAll(); // no fresh connection will come for them
      LOG.warn("pool '{}': cannot connect ({}), probing in the background", name, e.toString());
    }
    if (probing.compareAndSet(false, true)) {
      schedule(this::probe, cfg.probeIntervalNanos);
    }
  }

  private void probe() {
    if (closing) {
      probing.set(false);
      return;
    }
    try {
      TrackedConnection c = open(config.getUsername(), config.getPassword());
      warm.keep(c);
      down = false;
      lastFailure = null;
      probing.set(false);
      synchronized (recovered) {
        recovered.notifyAll();
      }
      LOG.info("pool '{}': database reachable again", name);
      warm.prefetch(config.getMinimumIdle() - 1);
    } catch (SQLException e) {
      schedule(this::probe, cfg.probeIntervalNanos); // still down: one prober, fixed pace
    } catch (RuntimeException e) {
      LOG.warn("pool '{}': prober failed", name, e);
      schedule(this::probe, cfg.probeIntervalNanos);
    }
  }

  void schedule(Runnable r, long delayNanos) {
    try {
      var unused = executor.schedule(r, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("pool '{}': closing, task dropped", name);
    }
  }

  // ---- retirement -----------------------------------------------------------------------

  void retired(TrackedConnection c, RetireReason reason) {
    tracked.remove(c);
    meters.retired(reason);
    LOG.debug("pool '{}': physical connection retired ({})", name, reason.tag());
  }

  /** Why HikariCP retired a connection it did not find broken or invalid. */
  RetireReason inferReason(TrackedConnection c) {
    if (closing) {
      return RetireReason.SHUTDOWN;
    }
    long now = System.nanoTime();
    long maxLifetime = TimeUnit.MILLISECONDS.toNanos(config.getMaxLifetime());
    // HikariCP shortens each lifetime by up to 2.5% so that connections do not expire together
    if (maxLifetime > 0 && now - c.createdAt >= maxLifetime - maxLifetime / 40 - 1_000_000) {
      return RetireReason.MAX_LIFETIME;
    }
    long idleTimeout = TimeUnit.MILLISECONDS.toNanos(config.getIdleTimeout());
    if (idleTimeout > 0 && !c.leased && now - c.lastReturnedAt >= idleTimeout) {
      return RetireReason.IDLE_TIMEOUT;
    }
    return RetireReason.EVICTED;
  }

  void closeQuietly(TrackedConnection c, RetireReason reason) {
    c.reason = reason;
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("pool '{}': close failed", name, e);
    }
  }

  int staleConnections() {
    long now = System.nanoTime();
    int n = 0;
    for (TrackedConnection c : tracked) {
      if (!c.leased && now - c.lastReturnedAt > cfg.staleAfterNanos) {
        n++;
      }
    }
    return n;
  }

  void close() {
    closing = true;
    if (clockHeld.compareAndSet(true, false)) {
      CoarseClock.release();
    }
    synchronized (recovered) {
      recovered.notifyAll();
    }
    swaps.evictAll();
    executor.shutdownNow();
    try {
      // a swap in progress on a refill thread finishes before HikariCP aborts what it holds
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        LOG.debug("pool '{}': a connection attempt outlived the close", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    warm.closeAll();
  }

  // ---- DataSource plumbing --------------------------------------------------------------

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // not used
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging here");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
