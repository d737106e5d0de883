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
  private boolean undoWriteBack;

  /**
   * Marks the load stale. {@code undoWriteBack}: an invalidation (this instance's or another's),
   * which may have deleted the key from Redis before this load's write-back lands there, so the
   * write-back is deleted again once it has. A local {@code put} passes false: its plain SET wins
   * over the write-back's SET NX in either order.
   */
  synchronized void markStale(boolean undoWriteBack) {
    stale = true;
    this.undoWriteBack |= undoWriteBack;
  }

  synchronized boolean isStale() {
    return stale;
  }

  /** Whether an invalidation marked this load stale: its write-back, if sent, must be deleted. */
  synchronized boolean undoesWriteBack() {
    return undoWriteBack;
  }
}
