package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swapping fresh physical connections in under dead ones, so HikariCP keeps its entries. Dead
 * connections that HikariCP lent to a borrow or to the watcher wait here for the next fresh
 * physical connection the parallel refill opens. Nobody waits with them: the borrow goes on to
 * another connection, and the refill thread that opens the fresh one swaps it in ({@link
 * TrackedConnection#adopt}) and gives the connection back to HikariCP, which keeps its entry and so
 * need not add one through its one-at-a-time adder. A dead connection is evicted instead when no
 * fresh one can come (the database went down, the pool is closing) or none came in time.
 */
final class Swaps {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcPool.class);

  private record Waiting(Connection proxy, TrackedConnection dead, long since) {}

  private final JdbcEngine engine;
  private final String initSql;
  private final boolean commitInitSql;
  private final int setupTimeoutMs;
  private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
  private final LongAdder swaps = new LongAdder();
  private volatile HikariDataSource hikari;

  Swaps(JdbcEngine engine, HikariConfig config) {
    this.engine = engine;
    this.initSql = config.getConnectionInitSql();
    this.commitInitSql = config.isIsolateInternalQueries() && !config.isAutoCommit();
    this.setupTimeoutMs = (int) Math.min(Integer.MAX_VALUE, config.getValidationTimeout());
  }

  /**
   * Gives {@code dead}, a connection HikariCP lent to the calling thread, a warm physical
   * connection if one is ready now, so HikariCP keeps its entry.
   */
  boolean replaceNow(TrackedConnection dead) {
    TrackedConnection fresh = engine.canOpen() ? engine.warm.take() : null;
    return fresh != null && adopt(dead, fresh);
  }

  /**
   * Queues {@code dead} (HikariCP's {@code proxy} over it lent to the caller, who lets go of it)
   * for the next fresh connection the refill opens; evicted at once if the database is down.
   */
  void replaceLater(Connection proxy, TrackedConnection dead) {
    dead.leased = true; // held for the swap: not idle, not for the watcher to look at again
    add(proxy, dead);
    if (!engine.canOpen()) {
      evictAll(); // the engine may have emptied the queue just before the add
      return;
    }
    engine.warm.refill();
    serveFromWarm();
  }

  /** Hands warm connections to dead ones queued for a swap; the watcher's safety net. */
  void serveFromWarm() {
    while (!isEmpty()) {
      TrackedConnection fresh = engine.warm.take();
      if (fresh == null) {
        return;
      }
      if (!serve(fresh)) {
        engine.warm.keep(fresh);
        return;
      }
    }
  }

  /** Swaps {@code fresh} in under {@code dead}; false (and {@code fresh} closed) if it refused. */
  boolean adopt(TrackedConnection dead, TrackedConnection fresh) {
    boolean closing = engine.isClosing();
    if (!closing && dead.adopt(fresh, initSql, commitInitSql, setupTimeoutMs)) {
      return true;
    }
    engine.closeQuietly(fresh, closing ? RetireReason.SHUTDOWN : RetireReason.BROKEN);
    return false;
  }

  /** Counts one swap. */
  void counted() {
    swaps.increment();
  }

  /** Dead physical connections swapped for fresh ones under HikariCP's entries. */
  long count() {
    return swaps.sum();
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
    if (adopt(w.dead, fresh)) {
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
