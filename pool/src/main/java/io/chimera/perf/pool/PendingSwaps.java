package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead connections that HikariCP lent to a borrow or to the watcher, waiting for the next fresh
 * physical connection the parallel refill opens. Nobody waits with them: the borrow goes on to
 * another connection, and the refill thread that opens the fresh one swaps it in ({@link
 * TrackedConnection#adopt}) and gives the connection back to HikariCP, which keeps its entry and so
 * need not add one through its one-at-a-time adder. A dead connection is evicted instead when no
 * fresh one can come (the database went down, the pool is closing) or none came in time.
 */
final class PendingSwaps {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcPool.class);

  private record Waiting(Connection proxy, TrackedConnection dead, long since) {}

  private final JdbcEngine engine;
  private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
  private volatile HikariDataSource hikari;

  PendingSwaps(JdbcEngine engine) {
    this.engine = engine;
  }

  /** The pool to give connections back to; nothing is queued before. */
  void attach(HikariDataSource hikari) {
    this.hikari = hikari;
  }

  /** Queues {@code proxy}, HikariCP's connection over {@code dead}, lent to the caller. */
  void add(Connection proxy, TrackedConnection dead) {
    queue.add(new Waiting(proxy, dead, System.nanoTime()));
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** How many wait (a walk of the queue, which holds at most the pool's size). */
  int size() {
    return queue.size();
  }

  /**
   * Swaps {@code fresh} in under the dead connection that has waited longest and gives it back to
   * HikariCP (or evicts it if {@code fresh} refused its settings, {@code fresh} then closed).
   *
   * @return false, {@code fresh} untouched, if none waits
   */
  boolean serve(TrackedConnection fresh) {
    Waiting w = queue.poll();
    if (w == null) {
      return false;
    }
    if (engine.adopt(w.dead, fresh)) {
      try {
        w.proxy.close();
      } catch (SQLException e) {
        LOG.debug("pool '{}': giving back a swapped connection failed", hikari.getPoolName(), e);
        hikari.evictConnection(w.proxy);
      }
    } else {
      hikari.evictConnection(w.proxy);
    }
    return true;
  }

  /** Evicts every waiting connection. */
  void evictAll() {
    Waiting w;
    while ((w = queue.poll()) != null) {
      hikari.evictConnection(w.proxy);
    }
  }

  /** Evicts the connections that have waited {@code nanos} or longer. */
  void evictOlderThan(long nanos) {
    long now = System.nanoTime();
    Waiting w;
    while ((w = queue.peek()) != null && now - w.since >= nanos) {
      if (queue.remove(w)) {
        hikari.evictConnection(w.proxy);
      }
    }
  }
}
