package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.testing.FaultProxy;
import io.chimera.perf.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generic pool over real TCP connections to a real Redis, through a fault proxy. */
class ConnectionPoolFaultIT {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.launch();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /** Sockets speaking RESP: validation is a PING. */
  private static final class RedisSockets implements ConnectionFactory<Socket> {
    private final FaultProxy proxy;

    RedisSockets(FaultProxy proxy) {
      this.proxy = proxy;
    }

    @Override
    public Socket create() throws IOException {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(proxy.host(), proxy.port()), 1_000);
      s.setSoTimeout(300);
      return s;
    }

    @Override
    public boolean validate(Socket s, Duration timeout) throws IOException {
      return ping(s);
    }

    @Override
    public void close(Socket s) throws IOException {
      s.close();
    }
  }

  static boolean ping(Socket s) throws IOException {
    s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[7];
    int n = 0;
    while (n < buf.length) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return false;
      }
      n += r;
    }
    return new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
  }

  private static ConnectionPool<Socket> pool(FaultProxy proxy, SimpleMeterRegistry registry) {
    return ConnectionPool.builder("redis-it", new RedisSockets(proxy))
        .provider("redis")
        .maxSize(4)
        .minIdle(4)
        .validateAfterIdle(Duration.ZERO)
        .acquireTimeout(Duration.ofSeconds(5))
        .housekeepingInterval(Duration.ofMillis(50))
        .meterRegistry(registry)
        .build();
  }

  /**
   * Waits until the pool holds {@code n} idle connections and the proxy has taken each of them on:
   * a connect returns once the kernel completes the handshake, maybe before the proxy's accept, and
   * a connection the proxy has not accepted yet would escape a reset.
   */
  private static void awaitIdle(ConnectionPool<Socket> pool, FaultProxy proxy, int n)
      throws InterruptedException {
    Await.await(() -> pool.idleConnections() >= n && proxy.openConnections() >= n);
  }

  @Test
  void resetConnectionsAreDetectedAndReplaced() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
        ConnectionPool<Socket> pool = pool(proxy, registry)) {
      awaitIdle(pool, proxy, 4);
      proxy.resetConnections();
      proxy.passThrough();
      for (int i = 0; i < 8; i++) {
        try (ConnectionLease<Socket> lease = pool.acquire()) {
          assertThat(ping(lease.get())).isTrue();
        }
      }
      assertThat(PoolMeterReads.retired(registry, RetireReason.VALIDATION_FAILED))
          .isGreaterThanOrEqualTo(1);
      assertThat(proxy.acceptedConnections()).isGreaterThan(4);
    }
  }

  @Test
  void blackHoledConnectionsFailValidationAndAreReplacedWhenTheNetworkHeals() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port());
        ConnectionPool<Socket> pool = pool(proxy, registry)) {
      awaitIdle(pool, proxy, 4);
      proxy.blackHole();
      // every borrow validates; a black-holed PING times out, so the connection is retired
      for (int i = 0; i < 4; i++) {
        try (ConnectionLease<Socket> lease = pool.acquire(Duration.ofMillis(200))) {
          lease.invalidate();
        } catch (ConnectionPoolTimeoutException expected) {
          assertThat(expected).hasMessageContaining("pool 'redis-it'");
        }
      }
      assertThat(PoolMeterReads.retired(registry, RetireReason.VALIDATION_FAILED))
          .isGreaterThanOrEqualTo(1);
      proxy.passThrough();
      for (int i = 0; i < 8; i++) {
        try (ConnectionLease<Socket> lease = pool.acquire()) {
          assertThat(ping(lease.get())).isTrue();
        }
      }
    }
  }
}
