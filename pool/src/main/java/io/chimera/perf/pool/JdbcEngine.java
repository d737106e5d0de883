package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import io.chimera.perf.core.internal.CoarseClock;
import io.chimera.perf.pool.internal.CapturingSocketFactory;
import java.io.PrintWriter;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
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
 * through. It counts every attempt by outcome, wraps each connection in a {@link
 * TrackedConnection}, keeps a small queue of connections opened ahead in parallel (swapped in under
 * HikariCP's entries for dead idle connections, and taken at once by HikariCP's one-at-a-time adder
 * for the rest), and when the database is unreachable runs one background prober instead of letting
 * callers wait, holding HikariCP's adder until the prober gets through so no back-off sleep delays
 * the recovery.
 */
final class JdbcEngine implements DataSource {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JdbcPool.class);
  private static final long WARM_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long PREFETCH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final String name;
  private final String jdbcUrl;
  private final Properties baseProperties;
  private final DataSource userSource;
  private final Driver driver;
  private final boolean captureSockets;
  private final JdbcPools.Builder cfg;
  private final HikariConfig config;
  final Swaps swaps;
  final Set<TrackedConnection> tracked = ConcurrentHashMap.newKeySet();
  private final LinkedBlockingQueue<TrackedConnection> warm = new LinkedBlockingQueue<>();
  private final AtomicInteger prefetching = new AtomicInteger();
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
    this.userSource = config.getDataSource();
    this.jdbcUrl = config.getJdbcUrl();
    Properties props = new Properties();
    props.putAll(config.getDataSourceProperties());
    this.captureSockets =
        userSource == null
            && jdbcUrl != null
            && jdbcUrl.startsWith("jdbc:postgresql:")
            && !props.containsKey("socketFactory");
    if (captureSockets) {
      props.setProperty("socketFactory", CapturingSocketFactory.class.getName());
    }
    this.baseProperties = props;
    this.driver = userSource == null ? DriverManager.getDriver(jdbcUrl) : null;
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

  /** Connections short of the minimum idle (negative when above it). */
  private int lacking() {
    return Math.max(0, config.getMinimumIdle()) - liveConnections();
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
    TrackedConnection c = takeWarm();
    if (c != null) {
      return c;
    }
    if (down) {
      return awaitRecovery();
    }
    c = awaitPrefetched();
    if (c != null) {
      return c;
    }
    // HikariCP asks for the rest of its minimum idle one at a time (30 ms apart): open those in
    // parallel now, so they are connected by the time it asks
    int deficit = lacking() - 1;
    if (deficit > 0) {
      prefetch(deficit);
    }
    return open(user, password);
  }

  /** Physical connections that look usable: not broken, not closed, no idle socket gone bad. */
  private int liveConnections() {
    int n = 0;
    for (TrackedConnection t : tracked) {
      if (!t.broken && !t.isClosedByPool() && (t.leased || !t.socketLooksDead())) {
        n++;
      }
    }
    return n;
  }

  /**
   * HikariCP's adder opens one connection at a time; while parallel prefetches are in flight it
   * takes the next one of those instead of opening yet another after them (which made a refill of N
   * cost N connect times). Null once none is in flight, or after the longest a connect may take.
   */
  private TrackedConnection awaitPrefetched() {
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getConnectionTimeout());
    try {
      while (prefetching.get() > 0 && !closing && System.nanoTime() - deadline < 0) {
        TrackedConnection c = fresh(warm.poll(PREFETCH_POLL_NANOS, TimeUnit.NANOSECONDS));
        if (c != null) {
          return c;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return takeWarm();
  }

  /** {@code fresh}'s physical connection now serves another; the dead one it replaced retires. */
  void swapped(TrackedConnection fresh, RetireReason why) {
    retired(fresh, why); // the wrapper goes; the reason counts for the physical connection replaced
    swaps.counted();
  }

  /** A warm connection fit to hand out, or null. */
  TrackedConnection takeWarm() {
    TrackedConnection c;
    while ((c = warm.poll()) != null) {
      if (fresh(c) != null) {
        return c;
      }
    }
    return null;
  }

  /**
   * A warm connection young enough to hand out, with no sign of death on its socket, or null (one
   * that is not is closed).
   */
  private TrackedConnection fresh(TrackedConnection c) {
    if (c == null) {
      return null;
    }
    if (System.nanoTime() - c.createdAt >= WARM_MAX_AGE_NANOS) {
      closeQuietly(c, RetireReason.IDLE_TIMEOUT);
      return null;
    }
    if (c.socketLooksDead()) {
      closeQuietly(c, RetireReason.BROKEN);
      return null;
    }
    return c;
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
    TrackedConnection c = takeWarm();
    if (c != null) {
      return c;
    }
    SQLException last = lastFailure;
    throw new SQLTransientConnectionException(
        "pool '" + name + "': database unreachable",
        last == null ? "08001" : last.getSQLState(),
        last);
  }

  private TrackedConnection open(String user, String password) throws SQLException {
    Connection raw;
    Socket socket = null;
    try {
      if (userSource != null) {
        raw = user == null ? userSource.getConnection() : userSource.getConnection(user, password);
      } else {
        Properties p = new Properties();
        p.putAll(baseProperties);
        if (user != null) {
          p.setProperty("user", user);
        }
        if (password != null) {
          p.setProperty("password", password);
        }
        if (captureSockets) {
          CapturingSocketFactory.forget();
        }
        raw = driver.connect(jdbcUrl, p);
        if (raw == null) {
          throw new SQLException("driver did not accept " + jdbcUrl, "08001");
        }
        if (captureSockets) {
          socket = CapturingSocketFactory.takeLast();
        }
      }
    } catch (SQLException e) {
      meters.creationFailed();
      markDown(e);
      throw e;
    }
    meters.created();
    TrackedConnection c = new TrackedConnection(raw, socket, this);
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
      keepWarm(c);
      down = false;
      lastFailure = null;
      probing.set(false);
      synchronized (recovered) {
        recovered.notifyAll();
      }
      LOG.info("pool '{}': database reachable again", name);
      prefetch(config.getMinimumIdle() - 1);
    } catch (SQLException e) {
      schedule(this::probe, cfg.probeIntervalNanos); // still down: one prober, fixed pace
    } catch (RuntimeException e) {
      LOG.warn("pool '{}': prober failed", name, e);
      schedule(this::probe, cfg.probeIntervalNanos);
    }
  }

  /**
   * Opens in parallel, at once, every connection the pool lacks of its minimum idle (replacements
   * for dead idle connections and for connections that failed while lent alike), and at least one
   * for each dead connection waiting for a swap, whatever the minimum idle. Live connections
   * include the warm ones; those in flight are read first, so one that lands in between is counted
   * twice (one too few opened, made up by the next call), never missed (one too many).
   */
  void refill() {
    int inFlight = prefetching.get();
    prefetch(Math.max(lacking(), swaps.size()) - inFlight);
  }

  /** Opens up to {@code count} connections in parallel for HikariCP's refill to take. */
  void prefetch(int count) {
    int room = config.getMaximumPoolSize() - warm.size() - prefetching.get();
    for (int i = 0; i < Math.min(count, room); i++) {
      prefetching.incrementAndGet();
      schedule(
          () -> {
            try {
              if (canOpen()) {
                TrackedConnection c = open(config.getUsername(), config.getPassword());
                if (!swaps.serve(c)) {
                  keepWarm(c);
                }
              }
            } catch (SQLException e) {
              LOG.debug("pool '{}': prefetch failed", name, e);
            } finally {
              prefetching.decrementAndGet();
            }
            // a refill that ran while this one landed may have counted it twice (see refill):
            // make up for it while dead connections still wait for a swap
            if (!swaps.isEmpty() && canOpen()) {
              refill();
            }
          },
          0);
    }
  }

  private void schedule(Runnable r, long delayNanos) {
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
    closeWarm();
  }

  /**
   * Queues a connection for HikariCP's adder; closed at once if the pool closed meanwhile (its flag
   * is set before it closes the queue, so one of the two closes every late connection).
   */
  void keepWarm(TrackedConnection c) {
    warm.add(c);
    if (closing) {
      closeWarm();
    }
  }

  private void closeWarm() {
    TrackedConnection c;
    while ((c = warm.poll()) != null) {
      closeQuietly(c, RetireReason.SHUTDOWN);
    }
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
