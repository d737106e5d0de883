package io.chimera.perf.cache;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * What L1 holds for a key: the value (null: the loader found nothing) and its bookkeeping.
 *
 * <p>Kept small: an L1 hit reads {@link #expiresAt} and {@link #value}, and this object is the one
 * memory access a hit makes beyond Caffeine's own. Only a cache with refresh-ahead needs an entry's
 * load time and refresh claim; its entries are {@link Refreshable}.
 */
class Entry<V> {

  @Nullable final V value;

  /** Ticker time this entry stops being served from L1: its L1 TTL (jitter applied) after load. */
  final long expiresAt;

  /**
   * Approximate bytes: encoded key + encoded value + overhead; 0 for an entry that its load returns
   * but that never goes into L1 (see {@link #forL1}).
   */
  final int weight;

  /** An entry that L1 serves for {@code ttlNanos} (jitter applied) from {@code loadedAt}. */
  Entry(@Nullable V value, long ttlNanos, long loadedAt, int weight) {
    this.value = value;
    this.expiresAt = loadedAt + ttlNanos;
    this.weight = weight;
  }

  /**
   * Whether this entry may go into L1: not when its value cannot be stored (too large, not
   * encodable), nor when it came from Redis with its deadline already past.
   */
  boolean forL1() {
    return weight > 0;
  }

  /**
   * An entry of a cache with refresh-ahead: {@code loadedAt} drives the refresh, and {@link
   * #claimRefresh} lets one reader start it.
   */
  static final class Refreshable<V> extends Entry<V> {

    private static final AtomicIntegerFieldUpdater<Refreshable<?>> REFRESHING = refreshingUpdater();

    /** Ticker time the value was loaded or written. */
    final long loadedAt;

    @SuppressWarnings("UnusedVariable") // written through REFRESHING
    private volatile int refreshing;

    Refreshable(@Nullable V value, long ttlNanos, long loadedAt, int weight) {
      super(value, ttlNanos, loadedAt, weight);
      this.loadedAt = loadedAt;
    }

    /** Claims the one background refresh of this entry; false if one was already claimed. */
    boolean claimRefresh() {
      return REFRESHING.compareAndSet(this, 0, 1);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // the updater works on the erased class
    private static AtomicIntegerFieldUpdater<Refreshable<?>> refreshingUpdater() {
      return (AtomicIntegerFieldUpdater)
          AtomicIntegerFieldUpdater.newUpdater(Refreshable.class, "refreshing");
    }
  }
}
