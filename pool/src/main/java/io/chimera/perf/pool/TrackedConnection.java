package io.chimera.perf.pool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A physical connection as HikariCP sees it: forwards to the driver's connection and tells the
 * {@link JdbcEngine} when it fails with a connection-loss error, when HikariCP validates it, gives
 * it back and retires it, so retirements are counted by reason.
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
  private final Socket socket;
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

  /** A round-trip check; false (and marked broken) if the connection does not answer. */
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
    return false;
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    boolean valid;
    try {
      valid = delegate.isValid(timeout);
    } catch (SQLException e) {
      reason = RetireReason.VALIDATION_FAILED;
      throw failed(e);
    }
    if (!valid && !broken) {
      reason = RetireReason.VALIDATION_FAILED;
    }
    return valid;
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
