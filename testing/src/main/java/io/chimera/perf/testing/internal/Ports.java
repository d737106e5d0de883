package io.chimera.perf.testing.internal;

import io.chimera.perf.testing.FixtureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free loopback ports, never handed out twice in one JVM (parallel test classes stay apart). */
public final class Ports {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {}

  /**
   * Returns a loopback port that was free a moment ago and has not been handed out before by this
   * JVM.
   *
   * @throws FixtureException if no port can be found
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new FixtureException("cannot find a free loopback port: " + e.getMessage(), e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new FixtureException("cannot find a free loopback port after 50 attempts");
  }
}
