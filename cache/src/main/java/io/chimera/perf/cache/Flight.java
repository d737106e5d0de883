package io.chimera.perf.cache;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One in-flight load of a key (single flight). An invalidation that arrives while it runs marks it
 * stale, so its result is handed to the callers already waiting but never put into L1.
 */
final class Flight<V> {

  final CompletableFuture<Entry<V>> future = new CompletableFuture<>();

  /** The {@code getAll} call that started it (tells its duplicate keys apart), else null. */
  final @Nullable Object batch;

  /**
   * Whether its write-back is a plain SET that replaces the value in Redis (a refresh-ahead
   * reload), not a SET NX that only fills a key nobody holds.
   */
  private final boolean replaces;

  Flight() {
    this(null);
  }

  Flight(@Nullable Object batch) {
    this(batch, false);
  }

  private Flight(@Nullable Object batch, boolean replaces) {
    this.batch = batch;
    this.replaces = replaces;
  }

  /** A refresh-ahead reload, whose write-back replaces the value in Redis. */
  static <V> Flight<V> replacing() {
    return new Flight<>(null, true);
  }

  // guarded by this
  private boolean stale;

  /** Whether its write-back replaces the value in Redis (see {@link #replacing}). */
  boolean replaces() {
    return replaces;
  }

  /**
   * Marks the load stale: an invalidation or a put overtook it, so its result is not put into L1,
   * and its write-back is not sent (or, if already sent, is undone: see {@link WriteBacks}).
   */
  synchronized void markStale() {
    stale = true;
  }

  synchronized boolean isStale() {
    return stale;
  }
}
