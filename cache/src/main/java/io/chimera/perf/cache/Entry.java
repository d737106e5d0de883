package io.chimera.perf.cache;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/** What L1 holds for a key: the value (null: the loader found nothing) and its bookkeeping. */
final class Entry<V> {

  private static final AtomicIntegerFieldUpdater<Entry<?>> REFRESHING = refreshingUpdater();

  @Nullable final V value;

  /** Ticker time the value was loaded or written; drives refresh-ahead. */
  final long loadedAt;

  /** Ticker time this entry stops being served from L1: its L1 TTL (jitter applied) after load. */
  final long expiresAt;

  /** Approximate bytes: encoded key + encoded value + overhead. */
  final int weight;

  @SuppressWarnings("UnusedVariable") // written through REFRESHING
  private volatile int refreshing;

  /** An entry that L1 serves for {@code ttlNanos} (jitter applied) from {@code loadedAt}. */
  Entry(@Nullable V value, long ttlNanos, long loadedAt, int weight) {
    this.value = value;
    this.loadedAt = loadedAt;
    this.expiresAt = loadedAt + ttlNanos;
    this.weight = weight;
  }

  /** Claims the one background refresh of this entry; false if one was already claimed. */
  boolean claimRefresh() {
    return REFRESHING.compareAndSet(this, 0, 1);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // the updater works on the erased class
  private static AtomicIntegerFieldUpdater<Entry<?>> refreshingUpdater() {
    return (AtomicIntegerFieldUpdater)
        AtomicIntegerFieldUpdater.newUpdater(Entry.class, "refreshing");
  }
}
