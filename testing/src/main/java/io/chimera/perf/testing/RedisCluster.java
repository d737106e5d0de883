package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.RedisProcess;
import io.chimera.perf.testing.internal.Resp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Redis Cluster of masters (no replicas) on loopback, each a {@code redis-server} process from
 * embedded-redis with persistence off. The 16384 slots are split evenly; nodes are introduced with
 * {@code CLUSTER MEET}; {@link #launch()} returns once every node reports {@code cluster_state:ok}.
 * Nodes can be stopped, killed and restarted one by one on the same port; a restarted node rejoins
 * with its slots (its {@code nodes.conf} is kept).
 *
 * <p>Always local: there is no external or container variant.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.launch()) {
 *   RedisClusterClient client = RedisClusterClient.create(cluster.uris().get(0));
 *   cluster.kill(1);       // a third of the slots become unavailable
 *   cluster.restart(1);    // back, and cluster_state:ok again
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {
  /** Masters started by {@link #launch()}. */
  public static final int DEFAULT_MASTERS = 3;

  /** The largest cluster {@link #launch(int)} starts. */
  public static final int MAX_MASTERS = 16;

  private static final int SLOTS = 16384;
  private static final long HEALTHY_TIMEOUT_NANOS = 30_000_000_000L;

  private final List<RedisProcess> nodes;

  private RedisCluster(List<RedisProcess> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts a cluster of {@value #DEFAULT_MASTERS} masters.
   *
   * @throws FixtureException if it does not start or does not become healthy within 30 s
   */
  public static RedisCluster launch() {
    return launch(DEFAULT_MASTERS);
  }

  /**
   * Starts a cluster of {@code masters} masters.
   *
   * @param masters 1 to {@value #MAX_MASTERS}
   * @throws IllegalArgumentException if {@code masters} is out of range
   * @throws FixtureException if it does not start or does not become healthy within 30 s
   */
  public static RedisCluster launch(int masters) {
    if (masters < 1 || masters > MAX_MASTERS) {
      throw new IllegalArgumentException(
          "masters must be between 1 and " + MAX_MASTERS + ", was " + masters);
    }
    List<RedisProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        started.add(
            RedisProcess.launch(
                List.of(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000",
                    "--cluster-announce-ip", "127.0.0.1")));
      }
      RedisCluster cluster = new RedisCluster(started);
      cluster.form();
      cluster.awaitHealthy();
      return cluster;
    } catch (RuntimeException e) {
      started.forEach(RedisProcess::close);
      throw e;
    }
  }

  private void form() {
    int n = nodes.size();
    for (int i = 0; i < n; i++) {
      int from = i * SLOTS / n;
      int to = (i + 1) * SLOTS / n;
      List<String> command = new ArrayList<>(to - from + 2);
      command.add("CLUSTER");
      command.add("ADDSLOTS");
      for (int slot = from; slot < to; slot++) {
        command.add(Integer.toString(slot));
      }
      call(i, command);
      call(i, List.of("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1)));
    }
    for (int i = 1; i < n; i++) {
      call(0, List.of("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port())));
    }
  }

  private Object call(int node, List<String> command) {
    try (Resp resp = Resp.connect("127.0.0.1", nodes.get(node).port(), 5000)) {
      return resp.call(command);
    } catch (IOException e) {
      throw new FixtureException(
          "cluster node " + node + ": " + command.get(0) + " " + command.get(1) + " failed", e);
    }
  }

  /**
   * Waits until every node reports {@code cluster_state:ok} and knows all the others.
   *
   * @throws FixtureException if that does not happen within 30 s
   */
  public void awaitHealthy() {
    long deadline = System.nanoTime() + HEALTHY_TIMEOUT_NANOS;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = unhealthyNode();
      if (last.isEmpty()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FixtureException("interrupted while waiting for the cluster", e);
      }
    }
    throw new FixtureException("redis cluster not healthy after 30 s: " + last);
  }

  /** Empty if all nodes are healthy, else why the first unhealthy one is not. */
  private String unhealthyNode() {
    for (int i = 0; i < nodes.size(); i++) {
      try (Resp resp = Resp.connect("127.0.0.1", nodes.get(i).port(), 1000)) {
        String info = Objects.toString(resp.call("CLUSTER", "INFO"));
        if (!info.contains("cluster_state:ok")
            || !info.contains("cluster_known_nodes:" + nodes.size() + "\r")) {
          return "node " + i + " (port " + nodes.get(i).port() + "): " + info.replace("\r\n", " ");
        }
      } catch (IOException e) {
        return "node " + i + " (port " + nodes.get(i).port() + "): " + e;
      }
    }
    return "";
  }

  /** The number of masters. */
  public int size() {
    return nodes.size();
  }

  /** {@code redis://127.0.0.1:port} of every node, in node order. */
  public List<String> uris() {
    List<String> uris = new ArrayList<>(nodes.size());
    for (RedisProcess node : nodes) {
      uris.add("redis://127.0.0.1:" + node.port());
    }
    return uris;
  }

  /**
   * The port of node {@code node}.
   *
   * @throws IndexOutOfBoundsException if there is no such node
   */
  public int port(int node) {
    return nodes.get(node).port();
  }

  /**
   * Gracefully stops node {@code node}; returns when it has exited.
   *
   * @throws IndexOutOfBoundsException if there is no such node
   */
  public void stop(int node) {
    nodes.get(node).stop();
  }

  /**
   * Kills node {@code node} with SIGKILL; returns when it has exited.
   *
   * @throws IndexOutOfBoundsException if there is no such node
   */
  public void kill(int node) {
    nodes.get(node).kill();
  }

  /**
   * Starts a stopped or killed node on its port and waits until the whole cluster is healthy.
   *
   * @throws IndexOutOfBoundsException if there is no such node
   * @throws FixtureException if it does not come back or the cluster does not heal within 30 s
   */
  public void start(int node) {
    nodes.get(node).start();
    awaitHealthy();
  }

  /**
   * {@link #stop(int)} then {@link #start(int)}.
   *
   * @throws IndexOutOfBoundsException if there is no such node
   * @throws FixtureException if the cluster does not heal within 30 s
   */
  public void restart(int node) {
    stop(node);
    start(node);
  }

  /**
   * Whether node {@code node}'s process is running.
   *
   * @throws IndexOutOfBoundsException if there is no such node
   */
  public boolean isRunning(int node) {
    return nodes.get(node).isRunning();
  }

  /** Kills every node and deletes their files. Idempotent. */
  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }

  @Override
  public String toString() {
    return "redis cluster " + uris();
  }
}
