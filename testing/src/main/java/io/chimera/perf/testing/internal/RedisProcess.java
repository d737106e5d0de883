package io.chimera.perf.testing.internal;

import io.chimera.perf.testing.FixtureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code redis-server} from embedded-redis on a fixed loopback port with persistence off; its
 * working directory (and, for cluster nodes, {@code nodes.conf}) survives stop and start.
 */
public final class RedisProcess implements Backend {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private ManagedProcess process;
  private boolean closed;

  private RedisProcess(Path dir, int port, List<String> extraArgs) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a server on a free port, retrying on another port if the chosen one was taken.
   *
   * @throws FixtureException if it does not start
   */
  public static RedisProcess launch(List<String> extraArgs) {
    FixtureException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisProcess redis = create(Ports.freePort(), extraArgs);
      try {
        redis.start();
        return redis;
      } catch (FixtureException e) {
        redis.close();
        last = e;
      }
    }
    throw last;
  }

  private static RedisProcess create(int port, List<String> extraArgs) {
    try {
      Path dir = Files.createTempDirectory("chimera-redis-" + port + "-");
      return new RedisProcess(dir, port, extraArgs);
    } catch (IOException e) {
      throw new FixtureException("cannot create a directory for redis on port " + port, e);
    }
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public boolean controllable() {
    return true;
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(Binaries.redisServer().toString());
    command.addAll(
        List.of(
            "--port", String.valueOf(port),
            "--bind", "127.0.0.1",
            "--protected-mode", "no",
            "--daemonize", "no",
            "--save", "",
            "--appendonly", "no",
            "--dir", dir.toString(),
            "--logfile", ""));
    command.addAll(extraArgs);
    process = ManagedProcess.start("redis-server:" + port, command, dir.resolve("redis.log"));
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new FixtureException(
            "redis-server on port " + port + " exited during start\n" + process.logTail());
      }
      try (Resp resp = Resp.connect("127.0.0.1", port, 1000)) {
        if ("PONG".equals(resp.call("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      pause();
    }
    process.kill();
    throw new FixtureException(
        "redis-server on port "
            + port
            + " not ready after "
            + READY_TIMEOUT
            + ": "
            + last
            + "\n"
            + process.logTail());
  }

  /** Sleeps 25 ms between readiness polls of a starting server. */
  public static void pause() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FixtureException("interrupted while waiting for a server", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (process != null) {
      process.terminate(Duration.ofSeconds(10));
    }
  }

  @Override
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process != null) {
      process.kill();
    }
    Binaries.deleteQuietly(dir);
  }

  @Override
  public String describe() {
    return "embedded redis-server on 127.0.0.1:" + port;
  }
}
