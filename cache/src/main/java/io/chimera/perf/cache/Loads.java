package io.chimera.perf.cache;

import static io.chimera.perf.cache.CacheMeters.*;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-key read paths of a {@link TieredCache} below its L1 hit: single flight, L2 reads and
 * decoding, loading and write-back, refresh-ahead; and the helpers {@link BulkLoads} shares.
 */
final class Loads<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger(Loads.class);

  /** What a loaded value becomes: its L1 entry and, when it may go to Redis, its stored bytes. */
  static final class Prepared<V> {
    private final Entry<V> entry;
    private final boolean cacheable;
    private final byte @Nullable [] stored;
    private final long ttl;

    Prepared(Entry<V> entry, boolean cacheable, byte @Nullable [] stored, long ttl) {
      this.entry = entry;
      this.cacheable = cacheable;
      this.stored = stored;
      this.ttl = ttl;
    }

    Entry<V> entry() {
      return entry;
    }

    boolean cacheable() {
      return cacheable;
    }

    byte @Nullable [] stored() {
      return stored;
    }

    long ttl() {
      return ttl;
    }
  }

  private final TieredCache<K, V> c;
  private final CacheConfig<K, V> cfg;

  Loads(TieredCache<K, V> cache) {
    this.c = cache;
    this.cfg = cache.cfg;
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Nullable V missSync(K key, Function<? super K, ? extends @Nullable V> loader) {
    c.meters.l1Miss(key);
    if (onEventLoop()) {
      // Never block Lettuce's event loop on Redis or on a flight that needs it: load directly.
      long start = System.nanoTime();
      V v = loader.apply(key);
      c.meters.load(v == null ? LOAD_ABSENT : LOAD_SUCCESS, start);
      return v;
    }
    Flight<V> f = new Flight<>();
    Flight<V> prev = c.flights().putIfAbsent(key, f);
    if (prev != null) {
      return join(prev);
    }
    byte[] kb = encodeKeyForLoad(key, f);
    Entry<V> e = kb == null ? null : readL2Sync(key, kb);
    if (e != null) {
      finish(key, f, e, e.forL1());
      c.flights().remove(key, f);
      return e.value;
    }
    return loadAndStore(key, kb, f, loader, true);
  }

  CompletableFuture<@Nullable V> missAsync(
      K key, Function<? super K, ? extends @Nullable V> loader) {
    c.meters.l1Miss(key);
    Flight<V> f = new Flight<>();
    Flight<V> prev = c.flights().putIfAbsent(key, f);
    if (prev != null) {
      return prev.future.thenApplyAsync(e -> e.value, cfg.executor());
    }
    byte[] kb = encodeKeyForLoad(key, f);
    L2Access l2 = c.l2;
    if (l2 == null || kb == null || blocksRead(key) || !l2.usable()) {
      if (l2 != null && kb != null) {
        c.meters.l2Miss();
      }
      try {
        return CompletableFuture.supplyAsync(
            () -> loadAndStore(key, kb, f, loader, true), cfg.executor());
      } catch (RejectedExecutionException e) {
        CompletionException refused = refused(e);
        abandon(key, f, refused);
        return CompletableFuture.failedFuture(refused);
      }
    }
    long start = System.nanoTime();
    byte[] rk = l2.key(kb);
    CompletableFuture<@Nullable V> read =
        l2.get(rk)
            .handleAsync(
                (raw, error) -> {
                  Entry<V> e;
                  if (error != null) {
                    c.meters.l2Miss();
                    e = null;
                  } else {
                    e = decode(rk, raw, start);
                  }
                  if (e != null) {
                    finish(key, f, e, e.forL1());
                    c.flights().remove(key, f);
                    return e.value;
                  }
                  return loadAndStore(key, kb, f, loader, true);
                },
                cfg.executor());
    // If the executor refused the continuation, nothing above ran: release the flight, or every
    // later read of the key would wait on it for ever.
    return read.handle(
        (v, error) -> {
          if (error == null) {
            return v;
          }
          Throwable cause = error instanceof CompletionException ? error.getCause() : error;
          if (cause instanceof RejectedExecutionException rejected && !f.future.isDone()) {
            CompletionException refused = refused(rejected);
            abandon(key, f, refused);
            throw refused;
          }
          throw error instanceof CompletionException ce ? ce : new CompletionException(error);
        });
  }

  private CompletionException refused(RejectedExecutionException e) {
    return new CompletionException(
        new RejectedExecutionException(
            "cache '" + c.name + "': its executor refused to run a load: " + e.getMessage(), e));
  }

  /** Fails a flight that will never finish, so its waiters fail too instead of waiting. */
  void abandon(K key, Flight<V> f, Throwable cause) {
    c.flights().remove(key, f);
    f.future.completeExceptionally(cause);
  }

  @Nullable Entry<V> readL2Sync(K key) {
    if (onEventLoop()) {
      return null; // a reply this thread would have to read itself: L1 only here
    }
    byte[] kb;
    try {
      kb = cfg.keyCodec().encode(key);
    } catch (RuntimeException e) {
      return null;
    }
    return kb.length > cfg.maxKeyBytes() ? null : readL2Sync(key, kb);
  }

  private @Nullable Entry<V> readL2Sync(K key, byte[] kb) {
    L2Access l2 = c.l2;
    if (l2 == null) {
      return null;
    }
    if (blocksRead(key) || !l2.usable()) {
      c.meters.l2Miss();
      return null;
    }
    long start = System.nanoTime();
    byte[] rk = l2.key(kb);
    CompletableFuture<byte @Nullable []> future = l2.get(rk);
    byte[] raw;
    try {
      raw = future.get(cfg.tier() == null ? 0 : cfg.tier().waitNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.meters.l2Miss();
      return null;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      c.meters.l2Miss();
      return null;
    }
    return decode(rk, raw, start);
  }

  void maybeRefresh(K key, Entry<V> e, Function<? super K, ? extends @Nullable V> loader) {
    if (!(e instanceof Entry.Refreshable<V> r)
        || c.ticker() - r.loadedAt < cfg.refreshAheadNanos()
        || !r.claimRefresh()) {
      return;
    }
    Flight<V> f = Flight.replacing();
    if (c.flights().putIfAbsent(key, f) != null) {
      return;
    }
    try {
      cfg.executor()
          .execute(
              () -> {
                try {
                  loadAndStore(key, encodeKeyForLoad(key, f), f, loader, false);
                } catch (RuntimeException | Error t) {
                  LOG.debug("cache '{}': refresh-ahead load failed", c.name, t);
                }
              });
    } catch (RejectedExecutionException rejected) {
      c.flights().remove(key, f);
      f.future.complete(e);
    }
  }

  boolean blocksRead(K key) {
    Coherence<K> coherence = c.coherence;
    return coherence != null && coherence.blocksRead(key);
  }

  @Nullable V join(Flight<V> flight) {
    try {
      return flight.future.join().value;
    } catch (CompletionException e) {
      throw rethrow(e);
    }
  }

  /** The encoded key, or null (counted) when it is over the limit or does not encode. */
  byte @Nullable [] encodeKeyForLoad(K key, Flight<V> f) {
    byte[] kb;
    try {
      kb = cfg.keyCodec().encode(key);
    } catch (RuntimeException e) {
      abandon(key, f, e);
      throw e;
    }
    if (kb.length > cfg.maxKeyBytes()) {
      c.meters.oversize.increment();
      return null;
    }
    return kb;
  }

  private @Nullable V loadAndStore(
      K key,
      byte @Nullable [] kb,
      Flight<V> f,
      Function<? super K, ? extends @Nullable V> loader,
      boolean ifAbsent) {
    long start = System.nanoTime();
    V v;
    try {
      v = loader.apply(key);
    } catch (RuntimeException | Error t) {
      c.meters.load(LOAD_FAILURE, start);
      abandon(key, f, t);
      throw t;
    }
    c.meters.load(v == null ? LOAD_ABSENT : LOAD_SUCCESS, start);
    Prepared<V> p = prepare(kb, v);
    finish(key, f, p.entry(), p.cacheable());
    L2Access l2 = c.l2;
    byte[] stored = p.stored();
    if (l2 == null || kb == null || stored == null || blocksRead(key)) {
      c.flights().remove(key, f);
      return v;
    }
    byte[] rk = l2.key(kb);
    WriteBacks.Sent<K> record = c.writeBacks.start(key, rk, f);
    if (record == null) { // stale: an invalidation or a put overtook the load
      c.flights().remove(key, f);
      return v;
    }
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(p.ttl()));
    var unusedWrite =
        l2.set(rk, stored, millis, ifAbsent)
            .whenComplete(
                (r, error) -> {
                  c.flights().remove(key, f);
                  c.writeBacks.settled(record);
                });
    return v;
  }

  Prepared<V> prepare(byte @Nullable [] kb, @Nullable V v) {
    long now = c.ticker();
    if (kb == null || (v == null && cfg.negativeTtlNanos() == 0)) {
      return new Prepared<>(c.entry(v, 0, now, 0), false, null, 0);
    }
    boolean tiered = c.l2 != null;
    if (v == null) {
      long ttl = cfg.negativeTtlNanos();
      return new Prepared<>(
          c.entry(null, ttl, now, kb.length + 1 + TieredCache.ENTRY_OVERHEAD),
          true,
          tiered ? Envelope.absent(c.deadline(ttl)) : null,
          ttl);
    }
    byte[] vb;
    try {
      vb = cfg.valueCodec().encode(v);
    } catch (RuntimeException e) {
      LOG.warn(
          "cache '{}': the value codec cannot encode a loaded value ({}); returned uncached",
          c.name,
          e.getMessage());
      return new Prepared<>(c.entry(v, 0, now, 0), false, null, 0);
    }
    if (vb.length > cfg.maxValueBytes()) {
      c.meters.oversize.increment();
      return new Prepared<>(c.entry(v, 0, now, 0), false, null, 0);
    }
    long l2Ttl = c.jittered(cfg.l2TtlNanos());
    long l1Ttl = Math.min(c.jittered(cfg.l1TtlNanos()), l2Ttl);
    byte[] stored = tiered ? c.envelope().wrap(vb, c.deadline(l2Ttl)) : null;
    // The entry last, next to the node Caffeine allocates for it in finish: see L1Store.put.
    return new Prepared<>(
        c.entry(v, l1Ttl, now, kb.length + vb.length + TieredCache.ENTRY_OVERHEAD),
        true,
        stored,
        l2Ttl);
  }

  /** Puts the entry in L1 unless an invalidation overtook the load; wakes the waiters. */
  void finish(K key, Flight<V> f, Entry<V> e, boolean cacheable) {
    synchronized (f) {
      if (cacheable && !f.isStale()) {
        c.l1.put(key, e);
      }
    }
    f.future.complete(e);
  }

  private @Nullable Entry<V> decode(byte[] rk, byte @Nullable [] raw, long start) {
    if (raw == null) {
      c.meters.l2(GET, SUCCESS, start);
      c.meters.l2Miss();
      return null;
    }
    Entry<V> e = decodeEntry(raw, rk.length);
    if (e == null) {
      c.meters.l2(GET, CORRUPT, start);
      corrupt(rk);
      c.meters.l2Miss();
      return null;
    }
    c.meters.l2(GET, SUCCESS, start);
    c.meters.l2Hit();
    return e;
  }

  /**
   * The L1 entry of a value read from Redis, or null if its bytes are corrupt. L1 keeps it for its
   * L1 TTL, but never past the deadline its writer stamped on it (a per-entry TTL, or the end of
   * its L2 TTL); one whose deadline has passed by this host's clock is returned and not kept.
   */
  @Nullable Entry<V> decodeEntry(byte[] raw, int keyLength) {
    long now = c.ticker();
    try {
      if (Envelope.isAbsent(raw)) {
        long deadline = Envelope.deadline(raw);
        long ttl =
            cfg.negativeTtlNanos() > 0 ? cfg.negativeTtlNanos() : c.jittered(cfg.l1TtlNanos());
        return l2Entry(null, deadline, ttl, now, keyLength + raw.length);
      }
      byte[] opened = c.envelope().open(raw);
      long deadline = Envelope.deadline(raw);
      int off = Envelope.payloadOffset(raw, opened);
      int length = opened.length - off;
      V v = cfg.valueCodec().decode(opened, off, length);
      // weighed by the encoded value as L1 holds it, not by its (maybe compressed) bytes in Redis
      return l2Entry(v, deadline, c.jittered(cfg.l1TtlNanos()), now, keyLength + length);
    } catch (Envelope.CorruptValueException | RuntimeException e) {
      LOG.debug("cache '{}': undecodable value in Redis: {}", c.name, e.getMessage());
      return null;
    }
  }

  private Entry<V> l2Entry(@Nullable V v, long deadline, long l1Ttl, long now, int bytes) {
    long ttl = Math.min(l1Ttl, c.lifeLeft(deadline));
    return ttl > 0
        ? c.entry(v, ttl, now, bytes + TieredCache.ENTRY_OVERHEAD)
        : c.entry(v, 0, now, 0); // served once, not kept: see Entry#forL1
  }

  void corrupt(byte[] rk) {
    c.meters.l2Corrupt.increment();
    L2Access l2 = c.l2;
    if (l2 != null) {
      var unused = l2.del(rk);
    }
  }

  /** Whether this thread is a Netty (Lettuce) event loop, which a load must never block. */
  static boolean onEventLoop() {
    return Thread.currentThread() instanceof FastThreadLocalThread;
  }

  /** Throws a load's failure as it was thrown: unchecked as is, checked wrapped. */
  static RuntimeException rethrow(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new CompletionException(cause);
  }
}
