package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.Binaries;
import io.chimera.perf.testing.internal.ManagedProcess;
import io.chimera.perf.testing.internal.Ports;
import io.chimera.perf.testing.internal.RedisProcess;
import io.chimera.perf.testing.internal.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Redis Sentinel (the embedded {@code redis-server} in sentinel mode) watching one embedded
 * master named {@value #MASTER}, both on free loopback ports. Clients find the master through
 * {@link #uri()}; tests stop and start {@link #master()} (same port) to cut it off and bring it
 * back. With one sentinel and no replica there is no failover: the master stays the master.
 *
 * <pre>{@code
 * try (RedisSentinel sentinel = RedisSentinel.launch()) {
 *   RedisClient client = RedisClient.create(sentinel.uri()); // redis-sentinel://...#chimera
 * }
 * }</pre>
 */
public final class RedisSentinel implements AutoCloseable {

  /** The name the sentinel monitors the master under. */
  public static final String MASTER = "chimera";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final RedisServer master;
  private final int port;
  private final Path dir;
  private final ManagedProcess sentinel;

  private RedisSentinel(RedisServer master, int port, Path dir, ManagedProcess sentinel) {
    this.master = master;
    this.port = port;
    this.dir = dir;
    this.sentinel = sentinel;
  }

  /**
   * Starts a master and a sentinel monitoring it, and waits until the sentinel names the master.
   *
   * @throws FixtureException if either does not start
   */
  public static RedisSentinel launch() {
    RedisServer master = RedisServer.launchEmbedded();
    Path dir = null;
    ManagedProcess sentinel = null;
    try {
      dir = Files.createTempDirectory("chimera-sentinel-");
      int port = Ports.freePort();
      Path conf = dir.resolve("sentinel.conf");
      // a sentinel rewrites its own config file, so it must be a writable file of its own
      Files.writeString(
          conf,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "protected-mode no",
              "daemonize no",
              "dir \"" + dir + "\"",
              "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1",
              "sentinel down-after-milliseconds " + MASTER + " 1000",
              ""),
          StandardCharsets.US_ASCII);
      sentinel =
          ManagedProcess.start(
              "redis-sentinel:" + port,
              List.of(Binaries.redisServer().toString(), conf.toString(), "--sentinel"),
              dir.resolve("sentinel.log"));
      awaitMaster(sentinel, port, master.port());
      return new RedisSentinel(master, port, dir, sentinel);
    } catch (IOException | RuntimeException e) {
      if (sentinel != null) {
        sentinel.kill();
      }
      master.close();
      if (dir != null) {
        Binaries.deleteQuietly(dir);
      }
      throw e instanceof FixtureException f ? f : new FixtureException("sentinel start failed", e);
    }
  }

  private static void awaitMaster(ManagedProcess sentinel, int port, int masterPort) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      if (!sentinel.isAlive()) {
        throw new FixtureException("redis sentinel exited during start\n" + sentinel.logTail());
      }
      try (Resp resp = Resp.connect("127.0.0.1", port, 1000)) {
        last = resp.call("SENTINEL", "get-master-addr-by-name", MASTER);
        if (last instanceof List<?> addr && String.valueOf(masterPort).equals(addr.get(1))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      RedisProcess.pause();
    }
    sentinel.kill();
    throw new FixtureException(
        "redis sentinel on port "
            + port
            + " did not name its master in "
            + READY_TIMEOUT
            + " (last answer: "
            + last
            + ")\n"
            + sentinel.logTail());
  }

  /** {@code redis-sentinel://127.0.0.1:<sentinel port>#chimera}. */
  public String uri() {
    return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER;
  }

  /** The sentinel's port. */
  public int port() {
    return port;
  }

  /** The master: stop and start it to cut clients off and let them back. */
  public RedisServer master() {
    return master;
  }

  /** Stops the sentinel and the master and deletes their files. */
  @Override
  public void close() {
    sentinel.kill();
    master.close();
    Binaries.deleteQuietly(dir);
  }

  @Override
  public String toString() {
    return "redis sentinel on 127.0.0.1:" + port + " watching " + master;
  }
}
