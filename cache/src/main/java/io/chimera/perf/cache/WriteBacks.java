package io.chimera.perf.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The write-backs of this instance's loads that reached Redis in the last {@link #GRACE}, so that
 * an invalidation heard after them deletes them again.
 *
 * <p>Why: another instance's {@code invalidate} is a DEL, then a PUBLISH. A load here that read the
 * old value from the source before the change may write it back (SET NX) between the two, or just
 * after both while its reply overtakes the message on the way here. Either way its load is over by
 * the time the message arrives, no flight is left to mark stale, and without this record the old
 * value would stay in Redis for its whole L2 TTL, read by every instance. The DEL is sent before
 * this instance confirms the invalidation (same connection, in order), so an acknowledged
 * invalidation returns only once it has landed.
 *
 * <p>Bounded: at most {@link #MAX_RECORDS} recent write-backs are kept; beyond that (thousands of
 * loads a second) some are forgotten early, and an invalidation that overtook one of those leaves
 * it in Redis. An extra DEL is always safe: at worst it removes a value written after the
 * invalidation, which is then a miss. A put's announcement undoes nothing: its SET replaced what
 * landed before it, and a SET NX after it finds the key taken.
 */
final class WriteBacks<K> {

  /** How long after its reply a write-back is still undone: far more than DEL-to-PUBLISH takes. */
  static final Duration GRACE = Duration.ofSeconds(2);

  static final int MAX_RECORDS = 16_384;

  private final Cache<K, byte[]> landed =
      Caffeine.newBuilder()
          .expireAfterWrite(GRACE)
          .maximumSize(MAX_RECORDS)
          .executor(Runnable::run)
          .build();

  /** Records that {@code key}'s write-back (Redis key {@code rk}) has landed. */
  void landed(K key, byte[] rk) {
    landed.put(key, rk);
  }

  /** Deletes the key's recent write-back from Redis again, if it has one. */
  void undo(K key, L2Access l2) {
    byte[] rk = landed.asMap().remove(key);
    if (rk != null) {
      var unused = l2.del(rk);
    }
  }

  /** Deletes every recent write-back again ("invalidate all"). */
  void undoAll(L2Access l2) {
    for (K key : landed.asMap().keySet()) {
      undo(key, l2);
    }
  }

  /** Records kept (tests). */
  long size() {
    landed.cleanUp();
    return landed.estimatedSize();
  }
}
