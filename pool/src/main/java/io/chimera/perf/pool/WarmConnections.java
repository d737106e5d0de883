package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections a {@link JdbcEngine} opens ahead, in parallel: taken at once by HikariCP's
 * one-at-a-time adder, or swapped in under HikariCP's entries for dead idle connections ({@link
 * Swaps}). A warm connection is discarded after {@link #MAX_AGE_NANOS} or once its socket looks
 * dead. Each refill opens what the pool lacks of its minimum idle, counting warm connections and
 * those in flight, and at least one per dead connection waiting for a swap.
 *
 * <p>A connection queued after the pool started closing is closed at once: {@link JdbcEngine#close}
 * sets its closing flag before it empties this queue, and {@link #keep} reads the flag after it
 * queues, so one of the two closes every late connection.
 */
final class WarmConnections {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcPool.class);
  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long PREFETCH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final JdbcEngine engine;
  private final HikariConfig config;
  private final LinkedBlockingQueue<TrackedConnection> warm = new LinkedBlockingQueue<>();
  private final AtomicInteger prefetching = new AtomicInteger();

  WarmConnections(JdbcEngine engine, HikariConfig config) {
    this.engine = engine;
    this.config = config;
  }

  /** Connections short of the minimum idle (negative when above it). */
  int lacking() {
    return Math.max(0, config.getMinimumIdle()) - liveConnections();
  }

  /** Physical connections that look usable: not broken, not closed, no idle socket gone bad. */
  private int liveConnections() {
    int n = 0;
    for (TrackedConnection t : engine.tracked) {
      if (!t.broken && !t.isClosedByPool() && (t.leased || !t.socketLooksDead())) {
        n++;
      }
    }
    return n;
  }

  /**
   * HikariCP's adder opens one connection at a time; while parallel prefetches are in flight it
   * takes the next one of those instead of opening yet another after them (which made a refill of N
   * cost N connect times). Null once none is in flight, or after the longest a connect may take.
   */
  TrackedConnection awaitPrefetched() {
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getConnectionTimeout());
    try {
      while (prefetching.get() > 0 && !engine.isClosing() && System.nanoTime() - deadline < 0) {
        TrackedConnection c = fresh(warm.poll(PREFETCH_POLL_NANOS, TimeUnit.NANOSECONDS));
        if (c != null) {
          return c;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return take();
  }

  /** A warm connection fit to hand out, or null. */
  TrackedConnection take() {
    TrackedConnection c;
    while ((c = warm.poll()) != null) {
      if (fresh(c) != null) {
        return c;
      }
    }
    return null;
  }

  /**
   * A warm connection young enough to hand out, with no sign of death on its socket, or null (one
   * that is not is closed).
   */
  private TrackedConnection fresh(TrackedConnection c) {
    if (c == null) {
      return null;
    }
    if (System.nanoTime() - c.createdAt >= MAX_AGE_NANOS) {
      engine.closeQuietly(c, RetireReason.IDLE_TIMEOUT);
      return null;
    }
    if (c.socketLooksDead()) {
      engine.closeQuietly(c, RetireReason.BROKEN);
      return null;
    }
    return c;
  }

  /**
   * Opens in parallel, at once, every connection the pool lacks of its minimum idle (replacements
   * for dead idle connections and for connections that failed while lent alike), and at least one
   * for each dead connection waiting for a swap, whatever the minimum idle. Live connections
   * include the warm ones; those in flight are read first, so one that lands in between is counted
   * twice (one too few opened, made up by the next call), never missed (one too many).
   */
  void refill() {
    int inFlight = prefetching.get();
    prefetch(Math.max(lacking(), engine.swaps.size()) - inFlight);
  }

  /** Opens up to {@code count} connections in parallel for HikariCP's refill to take. */
  void prefetch(int count) {
    int room = config.getMaximumPoolSize() - warm.size() - prefetching.get();
    for (int i = 0; i < Math.min(count, room); i++) {
      prefetching.incrementAndGet();
      engine.schedule(
          () -> {
            try {
              if (engine.canOpen()) {
                TrackedConnection c = engine.open(config.getUsername(), config.getPassword());
                if (!engine.swaps.serve(c)) {
                  keep(c);
                }
              }
            } catch (SQLException e) {
              LOG.debug("pool '{}': prefetch failed", engine.name(), e);
            } finally {
              prefetching.decrementAndGet();
            }
            // a refill that ran while this one landed may have counted it twice (see refill):
            // make up for it while dead connections still wait for a swap
            if (!engine.swaps.isEmpty() && engine.canOpen()) {
              refill();
            }
          },
          0);
    }
  }

  /** Queues a connection for HikariCP's adder; closed at once if the pool closed meanwhile. */
  void keep(TrackedConnection c) {
    warm.add(c);
    if (engine.isClosing()) {
      closeAll();
    }
  }

  void closeAll() {
    TrackedConnection c;
    while ((c = warm.poll()) != null) {
      engine.closeQuietly(c, RetireReason.SHUTDOWN);
    }
  }
}
