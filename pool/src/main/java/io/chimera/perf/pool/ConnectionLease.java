package io.chimera.perf.pool;

/**
 * A connection borrowed from a {@link ConnectionPool}; closing the lease gives the connection back.
 * Use it in try-with-resources:
 *
 * <pre>{@code
 * try (ConnectionLease<Socket> lease = pool.acquire()) {
 *   write(lease.get());
 * } catch (IOException e) {
 *   // the lease was closed already: invalidate inside the try instead
 * }
 * }</pre>
 *
 * <p>Closing twice is harmless. After {@link #close()} or {@link #invalidate()}, {@link #get()}
 * throws {@link IllegalStateException}. To keep acquire allocation-free, a lease object belongs to
 * its pooled connection and is reused by the next borrower of that connection: do not keep a
 * reference to a lease after closing it. A lease is open while its connection is lent: it holds no
 * state of its own, so lending it writes nothing to it.
 *
 * @param <C> the connection type
 */
public final class ConnectionLease<C> implements AutoCloseable {
  private final PoolEntry<C> entry;
  private final PoolEngine<C> engine;

  ConnectionLease(PoolEntry<C> entry, PoolEngine<C> engine) {
    this.entry = entry;
    this.engine = engine;
  }

  /**
   * The borrowed connection.
   *
   * @return the connection
   * @throws IllegalStateException if this lease was closed or invalidated
   */
  public C get() {
    if (entry.state != PoolEntry.IN_USE) {
      throw new IllegalStateException(
          "pool '" + engine.name() + "': lease used after it was closed or invalidated");
    }
    return entry.connection;
  }

  /**
   * Retires the connection instead of returning it (for example after an I/O error); the pool opens
   * a replacement when someone needs one. Closes the lease; harmless if already closed.
   */
  public void invalidate() {
    if (entry.claim(PoolEntry.IN_USE, PoolEntry.RESERVED)) {
      engine.retireLeased(entry, RetireReason.BROKEN);
    }
  }

  /** Returns the connection to the pool; harmless if already closed. */
  @Override
  public void close() {
    engine.release(entry);
  }

  @Override
  public String toString() {
    return "ConnectionLease[pool="
        + engine.name()
        + ", open="
        + (entry.state == PoolEntry.IN_USE)
        + "]";
  }
}
