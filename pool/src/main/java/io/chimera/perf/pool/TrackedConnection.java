package io.chimera.perf.pool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * A physical connection as HikariCP sees it: forwards to the driver's connection and tells the
 * {@link JdbcEngine} when it fails with a connection-loss error, when HikariCP validates it, gives
 * it back and retires it, so retirements are counted by reason.
 *
 * <p>A dead physical connection can be swapped for a fresh one under the same object ({@link
 * #adopt}), so HikariCP keeps its pool entry and need not add one through its one-at-a-time adder;
 * the session settings made through this object are replayed on the fresh connection ({@link
 * SessionSettings}).
 *
 * <p>Lending and giving back write {@link #leased} and {@link #lastReturnedAt} with ordered stores
 * (no fence) and take the time from the engine's coarse clock: both happen on every borrow, and
 * their readers (the watcher, the stale gauge, retirement reasons) need millisecond precision.
 */
final class TrackedConnection extends TrackedConnectionBase {
  private static final VarHandle LEASED;
  private static final VarHandle LAST_RETURNED_AT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      LEASED = lookup.findVarHandle(TrackedConnection.class, "leased", boolean.class);
      LAST_RETURNED_AT =
          lookup.findVarHandle(TrackedConnection.class, "lastReturnedAt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final JdbcEngine engine;
  private final SessionSettings settings = new SessionSettings();
  private volatile Socket socket;

  /**
   * When HikariCP's entry got its first physical connection: kept across {@link #adopt}, as
   * HikariCP's max-lifetime timer for the entry is.
   */
  final long createdAt;

  volatile long lastReturnedAt;

  /** When it was last known good: opened, or answered a round-trip check. */
  volatile long verifiedAt;

  volatile boolean leased;
  volatile boolean broken;
  volatile RetireReason reason;
  private volatile boolean closed;

  TrackedConnection(Connection delegate, Socket socket, JdbcEngine engine) {
    super(delegate);
    this.engine = engine;
    this.socket = socket;
    this.createdAt = System.nanoTime();
    this.lastReturnedAt = engine.now();
    this.verifiedAt = createdAt;
  }

  /**
   * Swaps in {@code fresh}'s physical connection for this one's dead one, replaying this
   * connection's session settings on it first. Only while this connection is lent to the calling
   * thread (so nobody else uses it) and {@code fresh} was handed to nobody.
   *
   * @return false, and nothing changed, if the fresh connection refused the settings
   */
  boolean adopt(
      TrackedConnection fresh, String initSql, boolean commitInitSql, int setupTimeoutMs) {
    try {
      settings.applyTo(fresh.delegate, initSql, commitInitSql, setupTimeoutMs);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
    java.sql.Connection dead = delegate;
    RetireReason why = reason == null ? RetireReason.BROKEN : reason;
    delegate = fresh.delegate;
    socket = fresh.socket;
    verifiedAt = fresh.verifiedAt;
    reason = null;
    broken = false;
    fresh.closed = true; // its physical connection lives on here
    engine.swapped(fresh, why);
    try {
      dead.close();
    } catch (SQLException e) {
      // it was dead already
    }
    return true;
  }

  /** Lent by {@link JdbcPool#getConnection()}. */
  void lent() {
    LEASED.setRelease(this, true);
  }

  @Override
  SQLException failed(SQLException e) {
    if (JdbcEngine.isConnectionLoss(e)) {
      broken = true;
      engine.siblingFailed();
    }
    return e;
  }

  /**
   * Whether the socket shows the server spoke or hung up while nobody was asking: bytes waiting on
   * an idle connection (PostgreSQL sends a FATAL 57P01 before closing a terminated backend).
   */
  boolean socketLooksDead() {
    if (socket == null) {
      return false;
    }
    if (socket.isClosed() || socket.isInputShutdown()) {
      return true;
    }
    try {
      return socket.getInputStream().available() > 0;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * A round-trip check; false if the connection does not answer, which marks it broken and casts
   * doubt on its siblings.
   */
  boolean check(int timeoutSeconds) {
    try {
      if (delegate.isValid(timeoutSeconds)) {
        verifiedAt = System.nanoTime();
        return true;
      }
    } catch (SQLException e) {
      // treated as invalid
    }
    broken = true;
    engine.siblingFailed(); // whatever killed it may have killed the others
    return false;
  }

  /**
   * Never swaps: a borrower may call this, and its transaction must not move silently to another
   * session. Called by HikariCP's own validation inside {@link JdbcPool}'s borrow or watcher, a
   * dead connection is set aside for a swap instead ({@link #setAsideForSwap}).
   */
  @Override
  public boolean isValid(int timeout) throws SQLException {
    boolean valid;
    try {
      valid = delegate.isValid(timeout);
    } catch (SQLException e) {
      SQLException seen = failed(e);
      if (setAsideForSwap()) {
        return true;
      }
      reason = RetireReason.VALIDATION_FAILED;
      throw seen;
    }
    if (valid || setAsideForSwap()) {
      return true;
    }
    if (!broken) {
      reason = RetireReason.VALIDATION_FAILED;
    }
    return false;
  }

  /**
   * When HikariCP validates this dead connection inside {@link JdbcPool}'s borrow or watcher (see
   * {@link JdbcPool#inBorrow}): marks it broken and answers true, so HikariCP reports it valid and
   * hands it to that loop, which queues it for a swap, instead of retiring it. False elsewhere.
   */
  private boolean setAsideForSwap() {
    if (!JdbcPool.inBorrow()) {
      return false;
    }
    broken = true;
    reason = RetireReason.VALIDATION_FAILED;
    return true;
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    super.setReadOnly(readOnly);
    settings.readOnly(readOnly);
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    super.setAutoCommit(autoCommit);
    settings.autoCommit(autoCommit);
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    super.setTransactionIsolation(level);
    settings.isolation(level);
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    super.setCatalog(catalog);
    settings.catalog(catalog);
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    super.setSchema(schema);
    settings.schema(schema);
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    super.setHoldability(holdability);
    settings.holdability(holdability);
  }

  /**
   * HikariCP's validation sets the network timeout before it calls {@link #isValid}: a failure here
   * sets the connection aside for a swap like a failed {@code isValid} ({@link #setAsideForSwap}).
   */
  @Override
  public void setNetworkTimeout(Executor executor, int millis) throws SQLException {
    try {
      super.setNetworkTimeout(executor, millis);
    } catch (SQLException e) {
      if (!setAsideForSwap()) {
        throw e;
      }
    }
    settings.networkTimeout(executor, millis);
  }

  /** HikariCP calls this on every return to the pool. */
  @Override
  public void clearWarnings() throws SQLException {
    LAST_RETURNED_AT.setRelease(this, engine.now());
    LEASED.setRelease(this, false);
    try {
      delegate.clearWarnings();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** HikariCP calls this when it retires the physical connection. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    engine.retired(this, retireReason());
    delegate.close();
  }

  private RetireReason retireReason() {
    if (broken) {
      return RetireReason.BROKEN;
    }
    if (reason != null) {
      return reason;
    }
    try {
      if (delegate.isClosed()) {
        return RetireReason.BROKEN;
      }
    } catch (SQLException e) {
      return RetireReason.BROKEN;
    }
    return engine.inferReason(this);
  }

  boolean isClosedByPool() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed || delegate.isClosed();
  }
}
