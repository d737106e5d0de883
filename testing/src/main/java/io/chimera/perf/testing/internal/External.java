package io.chimera.perf.testing.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A server given by address (environment variable): usable, but not ours to stop or kill. */
public final class External implements Backend {
  private final String host;
  private final int port;
  private final String variable;

  /** A server at {@code host:port}, configured through {@code variable}. */
  public External(String host, int port, String variable) {
    this.host = host;
    this.port = port;
    this.variable = variable;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public boolean controllable() {
    return false;
  }

  private UnsupportedOperationException notControllable(String what) {
    return new UnsupportedOperationException(
        "cannot "
            + what
            + " "
            + describe()
            + ": it is external (given by "
            + variable
            + "); unset "
            + variable
            + " to get a local server that fault tests can stop, kill and restart");
  }

  @Override
  public void stop() {
    throw notControllable("stop");
  }

  @Override
  public void kill() {
    throw notControllable("kill");
  }

  @Override
  public void start() {
    throw notControllable("start");
  }

  /** Whether a TCP connection to the address succeeds. */
  @Override
  public boolean isRunning() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {}

  @Override
  public String describe() {
    return "external server " + host + ":" + port;
  }
}
