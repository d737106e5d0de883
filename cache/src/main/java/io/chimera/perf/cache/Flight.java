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
  private boolean undoWriteBack;

  /**
   * Marks the load stale. {@code undoWriteBack}: an invalidation (this instance's or another's),
   * which may have deleted the key from Redis before this load's write-back lands there, so the
   * write-back is deleted again once it has. A local {@code put} passes false: its plain SET wins
   * over a write-back's SET NX in either order. It does not win over a {@linkplain #replacing
   * replacing} write-back's plain SET sent after it, so that one is undone whatever the caller
   * passes.
   */
  synchronized void markStale(boolean undoWriteBack) {
    stale = true;
    this.undoWriteBack |= undoWriteBack || replaces;
  }

  synchronized boolean isStale() {
    return stale;
  }

  /** Whether an invalidation marked this load stale: its write-back, if sent, must be deleted. */
  synchronized boolean undoesWriteBack() {
    return undoWriteBack;
  }
}
