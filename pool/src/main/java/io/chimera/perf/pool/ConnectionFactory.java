package io.chimera.perf.pool;

import java.time.Duration;

/**
 * Creates, checks and closes the connections a {@link ConnectionPool} holds. The pool calls it from
 * its own threads (creation, housekeeping) and from borrowing threads (validation on borrow after a
 * long idle), never twice at once for one connection.
 *
 * <pre>{@code
 * ConnectionFactory<Socket> sockets = new ConnectionFactory<>() {
 *   public Socket create() throws IOException {
 *     Socket s = new Socket();
 *     s.connect(new InetSocketAddress("127.0.0.1", 6379), 1_000);
 *     return s;
 *   }
 *   public boolean validate(Socket s, Duration timeout) { return !s.isClosed(); }
 *   public void close(Socket s) throws IOException { s.close(); }
 * };
 * }</pre>
 *
 * @param <C> the connection type
 */
public interface ConnectionFactory<C> {

  /**
   * Opens a new connection. It should give up on its own within a bounded time (a connect timeout);
   * the pool backs off after a failure and reports it on the next acquire timeout.
   *
   * @return a new, usable connection, never null
   * @throws Exception if the connection cannot be opened
   */
  C create() throws Exception;

  /**
   * Checks that an idle connection still works, for example with a ping round trip.
   *
   * @param connection the connection to check, not in use by anyone
   * @param timeout how long the check may take
   * @return whether the connection is usable
   * @throws Exception if the check fails; treated like {@code false}
   */
  boolean validate(C connection, Duration timeout) throws Exception;

  /**
   * Closes a retired connection. Exceptions are logged and otherwise ignored.
   *
   * @param connection the connection to close
   * @throws Exception if closing fails
   */
  void close(C connection) throws Exception;
}
