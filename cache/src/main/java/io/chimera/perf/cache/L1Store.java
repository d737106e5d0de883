package io.chimera.perf.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.chimera.perf.core.Ticker;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A cache's L1: a size- or weight-bounded Caffeine map of {@link Entry entries}, each with its own
 * TTL, plus the bookkeeping of every way an entry leaves it (expiry, eviction, our own writes).
 *
 * <p>Caffeine itself has no expiry here (even a fixed expire-after-write cost its reads about a
 * third of their throughput), so an L1 hit is a plain size-bounded Caffeine read plus one check of
 * the entry's TTL against the cache's clock ({@code TieredCache.l1Get}, which reads {@link
 * #caffeine} directly). Expired entries nobody reads again are removed by the periodic {@link
 * L1Sweeper}; until then they only hold a place within L1's bound.
 *
 * <p>Writes ({@link #put}, {@link #invalidate}, expiry) run the Caffeine maintenance they trigger
 * on the writing thread (see {@link L1Maintenance}), so the bound holds after each write.
 */
final class L1Store<K, V> {

  final Cache<K, Entry<V>> caffeine;
  private final Ticker clock;
  private final CacheMeters meters;
  private final boolean byteBound;
  private final long bound;

  /** Bytes held, for an entry-bounded L1 (a byte-bounded one has Caffeine's weighted size). */
  private final LongAdder bytes = new LongAdder();

  private final L1Sweeper<K, V> sweeper;

  L1Store(CacheConfig<K, V> cfg, Ticker clock, CacheMeters meters) {
    this.clock = clock;
    this.meters = meters;
    this.byteBound = cfg.l1ByteBound();
    this.bound = cfg.l1Bound();
    Caffeine<K, Entry<V>> b =
        Caffeine.newBuilder().executor(cfg.l1Executor()).evictionListener(this::onEviction);
    if (byteBound) {
      b.maximumWeight(bound).weigher((K k, Entry<V> e) -> e.weight);
    } else {
      b.maximumSize(bound);
    }
    this.caffeine = b.build();
    this.sweeper = new L1Sweeper<>(this, cfg.l1Executor(), cfg.l1TtlNanos(), clock.read());
  }

  /**
   * Removes an expired entry, found on read or by the {@link L1Sweeper}, if it is still the key's,
   * counting it as {@code expired} (kept out of {@code TieredCache.l1Get}, which callers inline).
   */
  boolean expire(K key, Entry<V> e) {
    L1Maintenance.Writing writing = L1Maintenance.beginWrite();
    try {
      if (caffeine.asMap().remove(key, e)) {
        removed(e);
        meters.evictedExpired.increment();
        return true;
      }
      return false;
    } finally {
      L1Maintenance.endWrite(writing);
    }
  }

  /**
   * Puts an entry into L1. Callers allocate {@code e} just before this call, after everything else
   * the write allocates (encoded bytes, the Redis command): then it lies next to the node Caffeine
   * allocates for it here, and an L1 hit, which reads that node and then the entry, mostly finds
   * both in one or two adjacent cache lines instead of one more line far away. On a 2-core VM,
   * {@code chimera-bench cache-ratios} measured the L1-hit {@code get} at 0.83x raw Caffeine below
   * half its bound and 0.80x at it, against 0.79x before; with a young collection forced after the
   * fill (which moves entries and nodes), 0.82x against 0.77x before.
   */
  void put(K key, Entry<V> e) {
    L1Maintenance.Writing writing = L1Maintenance.beginWrite();
    try {
      Entry<V> replaced = caffeine.asMap().put(key, e);
      if (!byteBound) {
        bytes.add(replaced == null ? e.weight : e.weight - replaced.weight);
      }
    } finally {
      L1Maintenance.endWrite(writing);
    }
    sweeper.maybeSweep(clock.read());
  }

  /** Drops a key from this instance's L1 only. */
  void invalidate(K key) {
    L1Maintenance.Writing writing = L1Maintenance.beginWrite();
    try {
      removed(caffeine.asMap().remove(key));
    } finally {
      L1Maintenance.endWrite(writing);
    }
  }

  /**
   * Drops every key from this instance's L1 only, key by key so that each removed entry's weight is
   * known; the maintenance of the removals runs here, batched (see L1Maintenance), as Caffeine's
   * own {@code invalidateAll} would do it on the calling thread.
   */
  void invalidateAll() {
    L1Maintenance.Writing bulk = L1Maintenance.beginBulk();
    try {
      for (K key : caffeine.asMap().keySet()) {
        L1Maintenance.Writing writing = L1Maintenance.beginWrite();
        try {
          removed(caffeine.asMap().remove(key));
        } finally {
          L1Maintenance.endWrite(writing);
        }
      }
    } finally {
      L1Maintenance.endBulk(bulk);
    }
  }

  /** Starts a sweep of expired entries if one is due. */
  void maybeSweep() {
    sweeper.maybeSweep(clock.read());
  }

  /** Sweeps expired entries and waits for Caffeine's pending maintenance (tests). */
  void cleanUp() {
    sweeper.sweep(clock.read());
    caffeine.cleanUp();
  }

  long now() {
    return clock.read();
  }

  /** The L1 bound, in its unit: bytes or entries. */
  long bound() {
    return bound;
  }

  boolean byteBound() {
    return byteBound;
  }

  /** Bytes held: Caffeine's weighted size, or our count for an entry-bounded L1. */
  double memoryUsed() {
    if (byteBound) {
      return caffeine.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
    }
    return Math.max(0, bytes.sum());
  }

  /** How full L1 is, 0..1, in the unit of its bound. */
  double utilization() {
    if (byteBound) {
      return memoryUsed() / bound;
    }
    return Math.min(1.0, (double) caffeine.estimatedSize() / bound);
  }

  /** The mean weight of an entry, at least 1. */
  long averageWeight() {
    long size = Math.max(1, caffeine.estimatedSize());
    return Math.max(1, (long) memoryUsed() / size);
  }

  /**
   * Takes a removed entry's weight off the byte count (entry-bounded L1). Called by every way an
   * entry leaves L1: our own writes (a put's replaced entry, invalidations, expiry) and Caffeine's
   * size evictions ({@link #onEviction}); L1 has no Caffeine expiry or reference eviction that
   * could remove an entry otherwise.
   */
  private void removed(@Nullable Entry<V> e) {
    if (e != null && !byteBound) {
      bytes.add(-e.weight);
    }
  }

  /**
   * Caffeine's eviction listener: called on the thread that runs the maintenance, inside the
   * eviction, with no executor hop or task per evicted entry (as a removal listener would have). It
   * runs under Caffeine's eviction lock and the entry's map lock, so it only counts: it never
   * blocks and never touches {@link #caffeine}.
   */
  private void onEviction(@Nullable K key, @Nullable Entry<V> e, RemovalCause cause) {
    removed(e);
    if (cause == RemovalCause.SIZE) {
      meters.evictedSize.increment();
      if (key != null) {
        meters.thrash.evicted(key.hashCode());
      }
    }
  }
}
