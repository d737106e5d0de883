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
import java.util.function.Predicate;

/**
 * A real Redis Sentinel (the embedded {@code redis-server} in sentinel mode) watching one embedded
 * master named {@value #MASTER}, all on free loopback ports. Clients find the master through {@link
 * #uri()}; tests stop and start {@link #master()} (same port) to cut it off and bring it back.
 * {@link #launch()} has no replica, so there is no failover: the master stays the master. {@link
 * #launchWithReplica()} adds a replica that the sentinel promotes once the master has been down for
 * {@value #FAILOVER_DOWN_AFTER_MILLIS} ms.
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

  /** How long the master must be unreachable before a sentinel with a replica fails over. */
  public static final int FAILOVER_DOWN_AFTER_MILLIS = 500;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final RedisServer master;
  private final RedisServer replica; // null without one
  private final int port;
  private final Path dir;
  private final ManagedProcess sentinel;

  private RedisSentinel(
      RedisServer master, RedisServer replica, int port, Path dir, ManagedProcess sentinel) {
    this.master = master;
    this.replica = replica;
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
    return launch(false);
  }

  /**
   * Starts a master, a replica of it and a sentinel monitoring them, and waits until the replica
   * has synchronised and the sentinel names the master. Once the master has been unreachable for
   * {@value #FAILOVER_DOWN_AFTER_MILLIS} ms the sentinel promotes the replica.
   *
   * @throws FixtureException if any of them does not start
   */
  public static RedisSentinel launchWithReplica() {
    return launch(true);
  }

  private static RedisSentinel launch(boolean withReplica) {
    RedisServer master = RedisServer.launchEmbedded();
    RedisServer replica = null;
    Path dir = null;
    ManagedProcess sentinel = null;
    try {
      if (withReplica) {
        replica =
            RedisServer.launchEmbedded(
                List.of("--replicaof", "127.0.0.1", String.valueOf(master.port())));
        // the sentinel learns of replicas from the master's INFO, read at once when it connects
        // and then every 10 s: start it only once the master lists a synchronised replica
        awaitReplica(master, replica);
      }
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
              "sentinel down-after-milliseconds "
                  + MASTER
                  + " "
                  + (withReplica ? FAILOVER_DOWN_AFTER_MILLIS : 1000),
              "sentinel failover-timeout " + MASTER + " 10000",
              ""),
          StandardCharsets.US_ASCII);
      sentinel =
          ManagedProcess.start(
              "redis-sentinel:" + port,
              List.of(Binaries.redisServer().toString(), conf.toString(), "--sentinel"),
              dir.resolve("sentinel.log"));
      awaitMaster(sentinel, port, master.port());
      if (replica != null) {
        awaitKnownReplica(sentinel, port, replica.port());
      }
      return new RedisSentinel(master, replica, port, dir, sentinel);
    } catch (IOException | RuntimeException e) {
      if (sentinel != null) {
        sentinel.kill();
      }
      if (replica != null) {
        replica.close();
      }
      master.close();
      if (dir != null) {
        Binaries.deleteQuietly(dir);
      }
      throw e instanceof FixtureException f ? f : new FixtureException("sentinel start failed", e);
    }
  }

  /** Waits until the master lists the replica as synchronised ({@code state=online}). */
  private static void awaitReplica(RedisServer master, RedisServer replica) {
    poll(
        master.port(),
        List.of("INFO", "replication"),
        info -> String.valueOf(info).contains("port=" + replica.port() + ",state=online"),
        null,
        "replica " + replica + " did not synchronise with " + master);
  }

  private static void awaitMaster(ManagedProcess sentinel, int port, int masterPort) {
    poll(
        port,
        List.of("SENTINEL", "get-master-addr-by-name", MASTER),
        addr -> addr instanceof List<?> l && String.valueOf(masterPort).equals(l.get(1)),
        sentinel,
        "redis sentinel on port " + port + " did not name its master");
  }

  /**
   * Waits until the sentinel lists the replica as a connected replica: it names the master from its
   * configuration at once, but can fail over only to replicas it has learnt of from the master.
   */
  private static void awaitKnownReplica(ManagedProcess sentinel, int port, int replicaPort) {
    poll(
        port,
        List.of("SENTINEL", "replicas", MASTER),
        replicas ->
            replicas instanceof List<?> l
                && l.stream()
                    .anyMatch(
                        r ->
                            r instanceof List<?> fields
                                && String.valueOf(replicaPort).equals(field(fields, "port"))
                                && !field(fields, "flags").contains("disconnected")
                                && !field(fields, "flags").contains("s_down")),
        sentinel,
        "redis sentinel on port " + port + " did not learn of the replica on port " + replicaPort);
  }

  /**
   * Sends {@code command} to {@code port} until {@code done} accepts the answer, for at most {@link
   * #READY_TIMEOUT}; then throws, saying {@code failure}, the last answer and the sentinel's log
   * (when given: it is killed first, and its exit ends the wait early).
   */
  private static void poll(
      int port,
      List<String> command,
      Predicate<Object> done,
      ManagedProcess sentinel, // null: not a sentinel's answer
      String failure) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      if (sentinel != null && !sentinel.isAlive()) {
        throw new FixtureException("redis sentinel exited during start\n" + sentinel.logTail());
      }
      try (Resp resp = Resp.connect("127.0.0.1", port, 1000)) {
        last = resp.call(command);
        if (done.test(last)) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      RedisProcess.pause();
    }
    String log = "";
    if (sentinel != null) {
      sentinel.kill();
      log = "\n" + sentinel.logTail();
    }
    throw new FixtureException(
        failure + " in " + READY_TIMEOUT + " (last answer: " + last + ")" + log);
  }

  /** The value after {@code name} in a flat name/value reply, or "". */
  private static String field(List<?> fields, String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(String.valueOf(fields.get(i)))) {
        return String.valueOf(fields.get(i + 1));
      }
    }
    return "";
  }

  /** {@code redis-sentinel://127.0.0.1:<sentinel port>#chimera}. */
  public String uri() {
    return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER;
  }

  /** The sentinel's port. */
  public int port() {
    return port;
  }

  /** The master it was started with: stop and start it to cut clients off and let them back. */
  public RedisServer master() {
    return master;
  }

  /**
   * The replica of {@link #launchWithReplica()}: the master once the sentinel has failed over.
   *
   * @throws IllegalStateException if started by {@link #launch()}, without a replica
   */
  public RedisServer replica() {
    if (replica == null) {
      throw new IllegalStateException("this sentinel was launched without a replica");
    }
    return replica;
  }

  /**
   * The port of the master the sentinel names now ({@code SENTINEL get-master-addr-by-name}).
   *
   * @throws FixtureException if the sentinel does not answer
   */
  public int currentMasterPort() {
    try (Resp resp = Resp.connect("127.0.0.1", port, 1000)) {
      Object addr = resp.call("SENTINEL", "get-master-addr-by-name", MASTER);
      if (addr instanceof List<?> l && l.size() == 2) {
        return Integer.parseInt(String.valueOf(l.get(1)));
      }
      throw new FixtureException("the sentinel names no master: " + addr);
    } catch (IOException e) {
      throw new FixtureException("the sentinel on port " + port + " does not answer", e);
    }
  }

  /** Stops the sentinel, the master and the replica, and deletes their files. */
  @Override
  public void close() {
    sentinel.kill();
    if (replica != null) {
      replica.close();
    }
    master.close();
    Binaries.deleteQuietly(dir);
  }

  @Override
  public String toString() {
    return "redis sentinel on 127.0.0.1:" + port + " watching " + master;
  }
}
