package io.chimera.perf.pool.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A plain socket factory that remembers, per thread, the last socket it made, so the JDBC pool can
 * look at a physical connection's socket (unsolicited bytes, closed) without a round trip. The
 * PostgreSQL driver instantiates it by name through its {@code socketFactory} property; not an API.
 */
public final class CapturingSocketFactory extends SocketFactory {
  private static final ThreadLocal<Socket> LAST = new ThreadLocal<>();

  /** Instantiated by the JDBC driver. */
  public CapturingSocketFactory() {}

  /**
   * Returns and forgets the last socket this thread created.
   *
   * @return the socket, or null
   */
  public static Socket takeLast() {
    Socket s = LAST.get();
    LAST.remove();
    return s;
  }

  /** Forgets any socket this thread created. */
  public static void forget() {
    LAST.remove();
  }

  @Override
  public Socket createSocket() {
    Socket s = new Socket();
    LAST.set(s);
    return s;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return remember(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    return remember(new Socket(host, port, local, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return remember(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    return remember(new Socket(host, port, local, localPort));
  }

  private static Socket remember(Socket s) {
    LAST.set(s);
    return s;
  }
}
