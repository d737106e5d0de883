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

  Flight() {
    this(null);
  }

  Flight(@Nullable Object batch) {
    this.batch = batch;
  }

  // guarded by this
  private boolean stale;
  private boolean staleRemote;

  synchronized void markStale(boolean remote) {
    stale = true;
    staleRemote |= remote;
  }

  synchronized boolean isStale() {
    return stale;
  }

  synchronized boolean isStaleRemote() {
    return staleRemote;
  }
}
