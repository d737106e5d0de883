package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.ProxyLink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault-injecting TCP proxy on loopback, in the spirit of Toxiproxy: clients connect to {@link
 * #host()}:{@link #port()} and their bytes are forwarded to the upstream server, subject to the
 * faults switched on at runtime:
 *
 * <ul>
 *   <li>{@link #latency(Duration, Duration)}: delay every chunk, per direction;
 *   <li>{@link #resetConnections()}: RST every open connection and every new one;
 *   <li>{@link #blackHole()}: accept and keep connections open but forward nothing (clients time
 *       out);
 *   <li>{@link #closeAllConnections()}: close every open connection gracefully (FIN), once;
 *   <li>{@link #passThrough()}: clear all faults.
 * </ul>
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.launch();
 *     FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
 *   RedisClient client = RedisClient.create("redis://" + proxy.host() + ":" + proxy.port());
 *   proxy.blackHole();     // commands time out
 *   proxy.passThrough();   // and work again
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  /** What happens to connections, apart from latency. */
  public enum Mode {
    /** Bytes are forwarded (after any latency). */
    PASS_THROUGH,
    /** Open connections were reset; new ones are reset at once. */
    RESET,
    /** Connections are accepted and kept open, but no byte is forwarded either way. */
    BLACK_HOLE
  }

  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final Thread acceptor;
  private final Set<ProxyLink> links = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private final ProxyLink.Faults faults = new CurrentFaults();
  private volatile Mode mode = Mode.PASS_THROUGH;
  private volatile long upstreamDelayNanos;
  private volatile long clientDelayNanos;
  private volatile boolean closed;

  private FaultProxy(ServerSocket server, InetSocketAddress upstream) {
    this.server = server;
    this.upstream = upstream;
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /**
   * Starts a proxy on a free {@code 127.0.0.1} port forwarding to {@code upstreamHost:upstreamPort}
   * (which need not be up yet), in pass-through mode.
   *
   * @throws IllegalArgumentException if the port is not 1 to 65535
   * @throws FixtureException if no local port can be bound
   */
  public static FaultProxy start(String upstreamHost, int upstreamPort) {
    if (upstreamPort < 1 || upstreamPort > 65535) {
      throw new IllegalArgumentException(
          "upstreamPort must be between 1 and 65535, was " + upstreamPort);
    }
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      FaultProxy proxy =
          new FaultProxy(server, InetSocketAddress.createUnresolved(upstreamHost, upstreamPort));
      proxy.acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new FixtureException("fault proxy: cannot bind a loopback port", e);
    }
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** The current mode. */
  public Mode mode() {
    return mode;
  }

  /** Clears every fault: no latency, bytes forwarded, new connections accepted. */
  public void passThrough() {
    upstreamDelayNanos = 0;
    clientDelayNanos = 0;
    mode = Mode.PASS_THROUGH;
  }

  /**
   * Delays every chunk by {@code delay} in both directions (so a request/response round trip gains
   * twice that).
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public void latency(Duration delay) {
    latency(delay, delay);
  }

  /**
   * Delays every chunk going to the upstream server by {@code towardsUpstream} and every chunk
   * coming back to the client by {@code towardsClient}; {@link Duration#ZERO} for none.
   *
   * @throws IllegalArgumentException if either is negative
   */
  public void latency(Duration towardsUpstream, Duration towardsClient) {
    if (towardsUpstream.isNegative() || towardsClient.isNegative()) {
      throw new IllegalArgumentException(
          "latency must be >= 0, was " + towardsUpstream + " / " + towardsClient);
    }
    upstreamDelayNanos = towardsUpstream.toNanos();
    clientDelayNanos = towardsClient.toNanos();
  }

  /**
   * Resets (RST, via SO_LINGER 0) every open connection on both sides, and every new one until
   * {@link #passThrough()}.
   */
  public void resetConnections() {
    mode = Mode.RESET;
    links.forEach(ProxyLink::reset);
  }

  /**
   * Stops forwarding in both directions: open and new connections stay open but every byte is
   * dropped, so clients wait until their own timeout. {@link #passThrough()} resumes forwarding on
   * the connections that are still open (bytes dropped meanwhile are lost).
   */
  public void blackHole() {
    mode = Mode.BLACK_HOLE;
  }

  /** Closes every open connection gracefully (FIN on both sides); new ones are unaffected. */
  public void closeAllConnections() {
    links.forEach(ProxyLink::close);
  }

  /** Connections accepted since the start. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Connections open now. */
  public int openConnections() {
    return links.size();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("fault proxy on port {}: accept failed", port(), e);
        }
        return;
      }
      accepted.incrementAndGet();
      if (mode == Mode.RESET || closed) {
        ProxyLink.rst(client);
        continue;
      }
      String name = "fault-proxy-" + port() + "-" + accepted.get();
      ProxyLink link = new ProxyLink(client, faults, name);
      links.add(link);
      threads.removeIf(t -> !t.isAlive());
      threads.add(link.open(new InetSocketAddress(upstream.getHostString(), upstream.getPort())));
    }
  }

  /** Stops accepting, resets every open connection and waits for the proxy's threads to end. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("fault proxy on port {}: close failed", port(), e);
    }
    List<ProxyLink> open = List.copyOf(links);
    open.forEach(ProxyLink::reset);
    try {
      acceptor.join(5000);
      for (Thread t : threads) {
        t.interrupt();
        t.join(5000);
      }
      for (ProxyLink link : open) {
        link.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    links.clear();
  }

  @Override
  public String toString() {
    return "fault proxy 127.0.0.1:" + port() + " -> " + upstream + " (" + mode + ")";
  }

  private final class CurrentFaults implements ProxyLink.Faults {
    @Override
    public boolean blackHole() {
      return mode == Mode.BLACK_HOLE;
    }

    @Override
    public long delayNanos(boolean towardsUpstream) {
      return towardsUpstream ? upstreamDelayNanos : clientDelayNanos;
    }

    @Override
    public void closed(ProxyLink link) {
      links.remove(link);
    }
  }
}
