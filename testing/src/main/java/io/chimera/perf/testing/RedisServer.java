package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.Backend;
import io.chimera.perf.testing.internal.Containers;
import io.chimera.perf.testing.internal.Env;
import io.chimera.perf.testing.internal.External;
import io.chimera.perf.testing.internal.RedisProcess;
import io.chimera.perf.testing.internal.Resp;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A real Redis server for tests. {@link #launch()} picks, in this order: the address in {@code
 * CHIMERA_REDIS_URL} (external: not {@linkplain #controllable() controllable}); a {@code redis:7}
 * container through Testcontainers when a Docker engine answers; the {@code redis-server} binary
 * shipped in {@code com.github.codemonstur:embedded-redis} (Redis 6.2) on a free loopback port with
 * persistence off. {@code CHIMERA_FIXTURES=embedded} skips the Docker check.
 *
 * <p>Fault tests {@link #stop()}, {@link #kill()} and {@link #start()} it; the port stays the same,
 * so clients reconnect to the same {@link #uri()}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.launch()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   redis.kill();      // commands now fail
 *   redis.start();     // same port: the client reconnects
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  private final Backend backend;

  private RedisServer(Backend backend) {
    this.backend = backend;
  }

  /**
   * Starts (or connects to) a Redis server as described on the class.
   *
   * @throws FixtureException if no server can be started
   * @throws IllegalArgumentException if {@code CHIMERA_REDIS_URL} is not a {@code redis://} URI
   */
  public static RedisServer launch() {
    var url = Env.get(Env.REDIS_URL);
    if (url.isPresent()) {
      URI uri = URI.create(url.get());
      if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            Env.REDIS_URL + " must look like redis://host:port, was '" + url.get() + "'");
      }
      return new RedisServer(
          new External(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), Env.REDIS_URL));
    }
    if (Env.useDocker()) {
      return new RedisServer(
          Containers.start(
              "redis:7.4-alpine",
              6379,
              Map.of(),
              List.of("redis-server", "--save", "", "--appendonly", "no"),
              ".*Ready to accept connections.*",
              1,
              port -> RedisServer.awaitPing(port)));
    }
    return launchEmbedded();
  }

  /**
   * Starts the embedded {@code redis-server} binary on a free loopback port, ignoring the
   * environment.
   *
   * @throws FixtureException if it does not start
   */
  public static RedisServer launchEmbedded() {
    return launchEmbedded(List.of());
  }

  /** The embedded binary with extra command-line settings (a replica's {@code --replicaof}). */
  static RedisServer launchEmbedded(List<String> extraArgs) {
    return new RedisServer(RedisProcess.launch(extraArgs));
  }

  /** {@code redis://host:port}. */
  public String uri() {
    return "redis://" + host() + ":" + port();
  }

  /** The host clients connect to ({@code 127.0.0.1} unless external). */
  public String host() {
    return backend.host();
  }

  /** The port clients connect to; the same after {@link #start()}. */
  public int port() {
    return backend.port();
  }

  /** Whether {@link #stop()}, {@link #kill()} and {@link #start()} are supported. */
  public boolean controllable() {
    return backend.controllable();
  }

  /**
   * Shuts the server down gracefully (SIGTERM); returns when it has exited.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   */
  public void stop() {
    backend.stop();
  }

  /**
   * Kills the server with SIGKILL, as a crash would; returns when it has exited.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   */
  public void kill() {
    backend.kill();
  }

  /**
   * Starts a stopped or killed server on the same port (no-op if running); returns when it answers
   * PING. The data is gone: persistence is off.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   * @throws FixtureException if it does not come back
   */
  public void start() {
    backend.start();
  }

  /**
   * {@link #stop()} then {@link #start()}.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   */
  public void restart() {
    backend.stop();
    backend.start();
  }

  /** Whether the server is running (for an external one: whether it accepts connections). */
  public boolean isRunning() {
    return backend.isRunning();
  }

  /**
   * Deletes every key ({@code FLUSHALL}), e.g. between tests sharing an external server.
   *
   * @throws FixtureException if the server cannot be reached
   */
  public void flushAll() {
    try (Resp resp = Resp.connect(host(), port(), 5000)) {
      resp.call("FLUSHALL");
    } catch (IOException e) {
      throw new FixtureException("FLUSHALL failed on " + backend.describe(), e);
    }
  }

  /** Stops a local server and deletes its files; leaves an external one alone. Idempotent. */
  @Override
  public void close() {
    backend.close();
  }

  @Override
  public String toString() {
    return backend.describe();
  }

  private static void awaitPing(int port) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try (Resp resp = Resp.connect("127.0.0.1", port, 1000)) {
        if ("PONG".equals(resp.call("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FixtureException("interrupted", e);
      }
    }
    throw new FixtureException("redis container on port " + port + " not ready after 30 s", last);
  }
}
