package io.chimera.perf.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, direct-mapped sample of the hashes of recently size-evicted L1 keys, each with the
 * eviction sequence number it left at. A miss on a key whose hash is still here was evicted {@code
 * distance} evictions ago: had L1 held about {@code distance} more entries it would have been a
 * hit. Collisions simply overwrite the older eviction (the sample stays bounded and recent).
 */
final class ThrashSampler {

  /** Slots; also the largest distance that counts as "moments ago". */
  static final int CAPACITY = 1 << 14;

  /** Distance buckets: bucket b holds distances in [2^b - 1, 2^(b+1) - 1). */
  static final int BUCKETS = 15;

  private static final int MASK = CAPACITY - 1;
  private static final long SEQ_MASK = 0xFFFF_FFFFL;

  private final AtomicLongArray slots = new AtomicLongArray(CAPACITY);
  private final AtomicLong sequence = new AtomicLong();

  static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return h == 0 ? 1 : h;
  }

  void evicted(int hash) {
    int h = spread(hash);
    long seq = sequence.incrementAndGet() & SEQ_MASK;
    slots.lazySet(h & MASK, ((long) h << 32) | seq); // a sample: no fence needed
  }

  /**
   * Evictions since this key's hash was evicted, or -1 if it was not evicted moments ago. A match
   * is taken out of the sample: one eviction explains one miss, so later misses of the key (after
   * an expiry or an invalidation) are not counted as thrash again.
   */
  long distance(int hash) {
    int h = spread(hash);
    int i = h & MASK;
    long slot = slots.get(i);
    if (slot == 0 || (int) (slot >>> 32) != h || !slots.compareAndSet(i, slot, 0)) {
      return -1;
    }
    long d = ((sequence.get() & SEQ_MASK) - (slot & SEQ_MASK)) & SEQ_MASK;
    return d < CAPACITY ? d : -1;
  }

  /** The histogram bucket of a distance. */
  static int bucket(long distance) {
    int b = 63 - Long.numberOfLeadingZeros(distance + 1);
    return Math.min(b, BUCKETS - 1);
  }

  /** The largest distance bucket {@code b} covers, plus one: the extra entries it implies. */
  static long bucketReach(int bucket) {
    return 1L << (bucket + 1);
  }
}
