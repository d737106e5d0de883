package io.chimera.perf.cache;

import io.chimera.perf.core.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * This instance's write-backs to Redis (a load's SET NX, a refresh's SET) from the moment they are
 * sent until {@link #GRACE_NANOS} after their reply, so that an invalidation heard meanwhile can
 * delete what they wrote again.
 *
 * <p>Why: an invalidation is a DEL, then a PUBLISH. A load here that read the old value from the
 * source before the change may write it back after the DEL: while the message is on its way, or
 * even before it was published (between the DEL and the PUBLISH), its reply overtaking the message.
 * So on hearing a deletion this instance deletes the key again once its own write-back of it has
 * been answered ({@link #undo}), and it confirms the invalidation only after that DEL: an
 * acknowledged invalidation then returns only once no instance's late write-back is left in Redis.
 * A put's announcement undoes only a refresh's plain SET (a SET NX never overwrites a put).
 *
 * <p>The record is made under the load's {@link Flight} monitor, where an invalidation marks the
 * load stale: either the invalidation comes first (nothing is sent) or it finds the record.
 *
 * <p>Bounded: at most {@link #MAX_RECORDS} are kept; beyond that (thousands of loads a second) the
 * oldest are forgotten early, and an invalidation that overtook one of those leaves it in Redis
 * until its TTL. An extra DEL is always safe: at worst it removes a value written since, which is
 * then a miss.
 *
 * <p>"Answered" includes a write-back that timed out, which may still land: the undo's DEL, sent
 * after it on the same connection, still reaches Redis after it (on Cluster, a redirect of one of
 * the two could reorder them; that is not handled).
 */
final class WriteBacks<K> {

  /** How long after its reply a write-back is still undone: far more than DEL-to-PUBLISH takes. */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  static final int MAX_RECORDS = 16_384;

  /** One write-back of one key. */
  static final class Sent<K> {
    final K key;
    final byte[] rk;

    /** A refresh's SET, or sent while one of the key's still was unanswered (fixed at start). */
    boolean replaces;

    /** Completes when the write-back was answered (or failed): it can land no more after that. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();

    volatile long settledAt;

    Sent(K key, byte[] rk, boolean replaces) {
      this.key = key;
      this.rk = rk;
      this.replaces = replaces;
    }
  }

  private final ConcurrentHashMap<K, Sent<K>> byKey = new ConcurrentHashMap<>();

  /** Every record in the order sent, for pruning (only under {@link #pruning}). */
  private final ConcurrentLinkedQueue<Sent<K>> order = new ConcurrentLinkedQueue<>();

  private final AtomicInteger size = new AtomicInteger();
  private final ReentrantLock pruning = new ReentrantLock();
  private final Ticker clock;

  /** Grace periods on {@code clock} (the system ticker; tests pass a fake one). */
  WriteBacks(Ticker clock) {
    this.clock = clock;
  }

  /**
   * Records the write-back of {@code key} (Redis key {@code rk}) that {@code f}'s load is about to
   * send, unless an invalidation already marked the load stale: then null, and nothing is sent.
   */
  @Nullable Sent<K> start(K key, byte[] rk, Flight<?> f) {
    Sent<K> r = new Sent<>(key, rk, f.replaces());
    synchronized (f) {
      if (f.isStale()) {
        return null;
      }
      // one DEL after this one's answer undoes both (same connection, in order), so undoing this
      // on a put must also cover an older refresh still unanswered
      byKey.compute(
          key,
          (k, older) -> {
            r.replaces |= older != null && older.replaces && !older.settled.isDone();
            return r;
          });
    }
    order.add(r);
    size.incrementAndGet();
    prune();
    return r;
  }

  /** The write-back was answered, or failed: nothing it sent can land after this. */
  void settled(Sent<K> r) {
    r.settledAt = clock.read();
    r.settled.complete(null);
    prune();
  }

  /**
   * Deletes {@code key} from Redis again once this instance's recent write-back of it has settled
   * ({@code onlyReplacing}: only if that was a refresh's SET). Returns when that DEL is done
   * (failed if it failed), or null when there is no such write-back.
   */
  @Nullable CompletableFuture<?> undo(K key, boolean onlyReplacing, L2Access l2) {
    while (true) { // no allocation for the usual case, a key with no write-back
      Sent<K> r = byKey.get(key);
      if (r == null || (onlyReplacing && !r.replaces)) {
        return null;
      }
      if (byKey.remove(key, r)) {
        return r.settled.thenCompose(ignored -> l2.del(r.rk));
      }
      // replaced by a newer write-back of the key meanwhile: undo that one (it covers both)
    }
  }

  /** Like {@link #undo} for every recent write-back, in one DEL; null when there is none. */
  @Nullable CompletableFuture<?> undoAll(L2Access l2) {
    List<Sent<K>> all = new ArrayList<>();
    for (K key : byKey.keySet()) {
      Sent<K> r = byKey.remove(key);
      if (r != null) {
        all.add(r);
      }
    }
    if (all.isEmpty()) {
      return null;
    }
    CompletableFuture<?>[] settled = new CompletableFuture<?>[all.size()];
    byte[][] rks = new byte[all.size()][];
    for (int i = 0; i < all.size(); i++) {
      settled[i] = all.get(i).settled;
      rks[i] = all.get(i).rk;
    }
    return CompletableFuture.allOf(settled).thenCompose(ignored -> l2.delAll(rks));
  }

  /** Forgets records settled more than the grace ago, and the oldest past the bound. */
  private void prune() {
    if (!pruning.tryLock()) {
      return; // another thread is at it
    }
    try {
      long now = clock.read();
      Sent<K> head;
      while ((head = order.peek()) != null) {
        boolean expired = head.settled.isDone() && now - head.settledAt > GRACE_NANOS;
        if (!expired && size.get() <= MAX_RECORDS) {
          return;
        }
        order.poll(); // the head peeked: only this lock's holder takes from the queue
        size.decrementAndGet();
        byKey.remove(head.key, head);
      }
    } finally {
      pruning.unlock();
    }
  }

  /** Records kept (tests). */
  int size() {
    return size.get();
  }

  /** Whether a write-back of {@code key} is recorded (tests). */
  boolean holds(K key) {
    return byKey.containsKey(key);
  }
}
