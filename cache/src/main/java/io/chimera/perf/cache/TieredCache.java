package io.chimera.perf.cache;

import static io.chimera.perf.cache.CacheMeters.*;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.Ticker;
import io.chimera.perf.core.internal.CoarseClock;
import io.chimera.perf.core.internal.OwnedCounter;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A two-level cache: L1 in process (Caffeine), L2 in Redis ({@link RedisTier}), coherent across
 * instances, that never fails a call because of Redis and never serves a value it was told to
 * forget.
 *
 * <ul>
 *   <li>{@link #get(Object, Function)}: L1, then L2, then the loader, with single flight per key
 *       (concurrent misses on one key run the loader once); the loaded value goes to L2 and L1.
 *       {@link #getAsync} does the same without blocking Lettuce's event loop; {@link #getAll} does
 *       one MGET and one pipelined write.
 *   <li>{@link #put}, {@link #invalidate} and {@link #invalidateAll} write through to Redis and
 *       publish on the cache's channel; every other instance drops its L1 entry. They return {@code
 *       false} when Redis did not get the write: the caller's L1 entry is then dropped too, and the
 *       invalidation is kept (bounded) and replayed when Redis is back.
 *   <li>Redis slow or down: L1 plus the loader serve, {@link #health()} says {@link
 *       Health#DEGRADED}, and an L1 miss reaches the loader after at most the command timeout
 *       (immediately once the breaker is open or the disconnect is known).
 *   <li>Bytes in Redis that do not decode are a miss, counted {@code corrupt}, and deleted.
 *   <li>A value's life in Redis (its L2 TTL, or the TTL given to {@code put}) also bounds it in
 *       every instance's L1: a value read from Redis stays in L1 for the L1 TTL at most, and never
 *       past the deadline its writer stamped on it (by the writer's wall clock: hosts whose clocks
 *       disagree shorten or lengthen that by the difference).
 * </ul>
 *
 * <p>A loader may return {@code null} for "nothing there"; that is cached for the {@linkplain
 * TieredCacheBuilder#negativeTtl negative TTL} (when set) and returned as {@code null}.
 *
 * <pre>{@code
 * TieredCache<String, User> users = TieredCache.builder("users")
 *     .keyCodec(CacheCodec.utf8())
 *     .valueCodec(CacheCodec.json(User.class))
 *     .redisTier(redis)                       // omit for an L1-only cache
 *     .l1MaximumBytes(64L << 20)
 *     .l1Ttl(Duration.ofMinutes(5))
 *     .l2Ttl(Duration.ofHours(1))
 *     .meterRegistry(registry)
 *     .build();
 * User u = users.get("42", id -> db.loadUser(id));
 * if (!users.put("42", changed)) {
 *   log.warn("user 42 not written to Redis; L1 dropped, invalidation will be replayed");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to remove its meters and its subscription.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TieredCache<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TieredCache.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Bytes added to each entry's encoded key and value when weighing it. */
  static final int ENTRY_OVERHEAD = 96;

  final String name;
  final CacheConfig<K, V> cfg;
  final L1Store<K, V> l1;

  /**
   * {@link #l1}'s Caffeine map, read here directly: an L1 hit is the hot path, and a hop through
   * {@link L1Store} (or through the {@code Cache} wrapper around Caffeine's map) would add a
   * dependent load to every hit. Its {@code get} is Caffeine's {@code getIfPresent}: the read is
   * recorded for the eviction policy as usual.
   */
  private final ConcurrentMap<K, Entry<V>> l1Map;

  final CacheMeters meters;

  /** {@link #meters}' L1 hit count, held here for the same reason as {@link #l1Map}. */
  private final OwnedCounter l1Hits;

  /**
   * The time of L1 expiry, entry ages and refresh-ahead: the configured ticker, or the shared
   * {@link CoarseClock} when that is the system one (one volatile read per L1 hit, not a clock
   * call).
   */
  private final Ticker clock;

  /**
   * True when {@link #clock} is the shared {@link CoarseClock}: an L1 hit then reads its time
   * through the constant {@link CoarseClock#INSTANCE}, not through this field and a type check.
   */
  private final boolean coarse;

  private final boolean refreshAhead;

  @Nullable final L2Access l2;
  @Nullable final Coherence<K> coherence;
  @Nullable private final RedisTier tier;
  private final Envelope envelope;
  private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();
  final WriteBacks<K> writeBacks = new WriteBacks<>(Ticker.system());
  @Nullable private final ScheduledFuture<?> replayTask;
  private final Loads<K, V> loads;
  private final BulkLoads<K, V> bulk;
  private final Writes<K, V> writes;
  private volatile boolean closed;

  TieredCache(CacheConfig<K, V> cfg) {
    this.cfg = cfg;
    this.name = cfg.name();
    this.tier = cfg.tier();
    this.meters =
        new CacheMeters(
            cfg.registry(), name, tier != null, cfg.ackTimeoutNanos() > 0, cfg.ticker());
    this.l1Hits = meters.l1Hits();
    this.clock = cfg.ticker() == Ticker.system() ? CoarseClock.acquire() : cfg.ticker();
    this.coarse = clock == CoarseClock.INSTANCE;
    this.refreshAhead = cfg.refreshAheadNanos() > 0;
    this.envelope =
        new Envelope(
            cfg.compressAbove() > 0
                ? Envelope.compressorFor(
                    cfg.name(), cfg.coding(), cfg.compressAbove(), cfg.registry())
                : null,
            cfg.coding(),
            cfg.compressAbove(),
            cfg.maxValueBytes());
    this.l1 = new L1Store<>(cfg, clock, meters);
    this.l1Map = l1.caffeine.asMap();
    this.loads = new Loads<>(this);
    this.bulk = new BulkLoads<>(this, loads);
    this.writes = new Writes<>(this);
    if (tier != null) {
      this.l2 = new L2Access(tier, meters, name);
      this.coherence =
          new Coherence<>(
              name,
              writes,
              cfg.keyCodec(),
              cfg.maxPendingInvalidations(),
              cfg.ackTimeoutNanos() > 0);
      if (!tier.usable()) {
        coherence.markSuspect();
      }
      try {
        tier.register(coherence.invalidationChannel(), coherence);
        if (cfg.ackTimeoutNanos() > 0) {
          try {
            tier.register(coherence.confirmChannel(), coherence.confirmations);
          } catch (RuntimeException e) {
            tier.unregister(coherence.invalidationChannel());
            throw e;
          }
        }
      } catch (RuntimeException e) {
        meters.close();
        envelope.close();
        releaseClock();
        throw e;
      }
      this.replayTask =
          tier.scheduler()
              .scheduleWithFixedDelay(this::replayIfDue, 500, 500, TimeUnit.MILLISECONDS);
    } else {
      this.l2 = null;
      this.coherence = null;
      this.replayTask = null;
    }
    meters.bindCache(
        Tags.of(MetricNames.TAG_CACHE, name),
        l1,
        L1Store::memoryUsed,
        s -> s.byteBound() ? s.bound() : Double.NaN,
        L1Store::utilization,
        this::health,
        cfg.l1ByteBound());
  }

  /**
   * Starts a builder. Set at least the key and value codecs.
   *
   * @param name the cache name: the {@code cache} tag and the Redis namespace {@code
   *     chimera:<name>:}; 1 to 64 characters of {@code [A-Za-z0-9._-]}
   * @return a builder
   * @throws IllegalArgumentException if the name is empty, too long or has other characters
   */
  public static TieredCacheBuilder<Object, Object> builder(String name) {
    return new TieredCacheBuilder<>(checkName("cache name", name));
  }

  static String checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must be 1 to 64 characters of [A-Za-z0-9._-], got '" + name + "'");
    }
    return name;
  }

  /**
   * Returns the value of {@code key}: from L1, else from Redis, else from {@code loader} (run once
   * per key however many threads miss together); the loaded value is stored in both tiers.
   *
   * @param key the key
   * @param loader computes the value on a miss of both tiers; may return null for "absent"
   * @return the value, or null if the loader found nothing
   * @throws NullPointerException if key or loader is null
   * @throws RuntimeException whatever the loader threw (to every caller waiting on that load)
   */
  public @Nullable V get(K key, Function<? super K, ? extends @Nullable V> loader) {
    Entry<V> e = l1Get(key);
    if (e != null) {
      l1Hits.increment();
      if (refreshAhead) {
        loads.maybeRefresh(key, e, loader);
      }
      return e.value;
    }
    return loads.missSync(key, Objects.requireNonNull(loader, "loader"));
  }

  /**
   * Returns the value of {@code key} from L1 or Redis without loading (from L1 only on Lettuce's
   * event loop, which must not wait for Redis).
   *
   * @param key the key
   * @return the value, or null if neither tier has it (or it is cached as absent)
   */
  public @Nullable V getIfPresent(K key) {
    Entry<V> e = l1Get(key);
    if (e != null) {
      l1Hits.increment();
      return e.value;
    }
    meters.l1Miss(key);
    Entry<V> fromL2 = loads.readL2Sync(key);
    return fromL2 == null ? null : fromL2.value;
  }

  /**
   * Like {@link #get}, without blocking: Redis is read asynchronously and the loader runs on the
   * cache's executor, never on Lettuce's event loop. The returned future completes on that executor
   * (or at once on an L1 hit).
   *
   * @param key the key
   * @param loader computes the value on a miss of both tiers; may return null
   * @return the value's future; failed with the loader's exception if it threw
   */
  public CompletableFuture<@Nullable V> getAsync(
      K key, Function<? super K, ? extends @Nullable V> loader) {
    Objects.requireNonNull(loader, "loader");
    Entry<V> e = l1Get(key);
    if (e != null) {
      l1Hits.increment();
      if (refreshAhead) {
        loads.maybeRefresh(key, e, loader);
      }
      return CompletableFuture.completedFuture(e.value);
    }
    return loads.missAsync(key, loader);
  }

  /**
   * Returns the values of several keys: L1 first, then one MGET (split by hash slot on Cluster),
   * then one call of {@code bulkLoader} for the rest, whose results are written to Redis in one
   * pipelined flush. On Lettuce's event loop, which must not wait for Redis or for another load,
   * the bulk loader gets every L1 miss and its results are returned without being stored.
   *
   * @param keys the keys; duplicates are looked up once
   * @param bulkLoader given the keys found in neither tier, returns what it found (keys missing
   *     from its map are absent)
   * @return the values found or loaded; absent keys are left out
   * @throws RuntimeException whatever the bulk loader threw
   */
  public Map<K, V> getAll(
      Collection<? extends K> keys,
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader) {
    Objects.requireNonNull(bulkLoader, "bulkLoader");
    Map<K, V> result = new LinkedHashMap<>(Math.max(16, keys.size() * 2));
    List<K> missing = new ArrayList<>(keys.size());
    for (K key : keys) {
      Entry<V> e = l1Get(key);
      if (e != null) {
        l1Hits.increment();
        if (refreshAhead) {
          loads.maybeRefresh(
              key,
              e,
              k -> {
                Map<? extends K, ? extends V> one = bulkLoader.apply(Set.of(k));
                return one == null ? null : one.get(k);
              });
        }
        if (e.value != null) {
          result.put(key, e.value);
        }
      } else {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      bulk.missAll(missing, bulkLoader, result);
    }
    return result;
  }

  /**
   * Stores a value in both tiers with the default TTLs and tells every other instance to drop its
   * L1 copy.
   *
   * @param key the key
   * @param value the value
   * @return true if Redis got the write and the invalidation (and, with {@linkplain
   *     TieredCacheBuilder#acknowledgedInvalidation acknowledged invalidation}, every instance
   *     confirmed it dropped its old copy); false if not. When Redis did not get it (L2 down, slow
   *     or refusing), this instance's L1 entry is dropped and the invalidation kept for replay, so
   *     no tier serves a value older than Redis has; when only confirmations were missing, Redis
   *     and this instance hold the new value
   * @throws IllegalArgumentException if the encoded key or value exceeds its size limit
   * @throws IllegalStateException if called on Lettuce's event loop by a cache with a Redis tier
   *     (it would wait there for a reply only that thread can read)
   */
  public boolean put(K key, V value) {
    return writes.put(key, value, -1);
  }

  /**
   * Like {@link #put(Object, Object)} with this entry's own time to live in Redis (every instance's
   * L1 keeps it at most that long, and at most the L1 TTL).
   *
   * @param key the key
   * @param value the value
   * @param ttl 1 ms or more
   * @return as for {@link #put(Object, Object)}
   * @throws IllegalArgumentException if the TTL is under 1 ms, or the key or value is too large
   * @throws IllegalStateException if called on Lettuce's event loop by a cache with a Redis tier
   *     (it would wait there for a reply only that thread can read)
   */
  public boolean put(K key, V value, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, got " + ttl);
    }
    return writes.put(key, value, ttl.toNanos());
  }

  /**
   * Removes a key from both tiers and from every other instance's L1.
   *
   * <p>What {@code true} promises: Redis has deleted the key (no instance reads the old value from
   * L2 any more) and has sent the invalidation to every instance subscribed to this cache, which
   * drops its L1 entry as it reads the message, typically within a millisecond. With {@linkplain
   * TieredCacheBuilder#acknowledgedInvalidation acknowledged invalidation}, {@code true} also means
   * each of those instances has confirmed that its L1 entry is gone: none serves the old value
   * after the call returns. An instance whose subscription was down may have missed it, so it
   * flushes its whole L1 when it subscribes again (with acknowledged invalidation, also as soon as
   * it notices the loss).
   *
   * @param key the key
   * @return true if Redis acknowledged the delete and the invalidation (and every instance
   *     confirmed it, when asked to); false if Redis did not, and it is kept for replay (this
   *     instance meanwhile does not read the key from Redis), or if an instance did not confirm
   *     within the timeout
   * @throws IllegalStateException if called on Lettuce's event loop by a cache with a Redis tier
   *     (it would wait there for a reply only that thread can read)
   */
  public boolean invalidate(K key) {
    return writes.invalidate(key);
  }

  /**
   * Removes every key of this cache from both tiers and every instance's L1.
   *
   * @return true if Redis acknowledged it (and every instance confirmed it, when asked to); false
   *     if it is kept for replay, or if an instance did not confirm within the timeout
   * @throws IllegalStateException if called on Lettuce's event loop by a cache with a Redis tier
   *     (it would wait there for a reply only that thread can read)
   */
  public boolean invalidateAll() {
    return writes.invalidateAll();
  }

  /**
   * Returns the health: {@link Health#UP}, {@link Health#DEGRADED} while Redis is unreachable or
   * its breaker is open or still probing (L1 and the loader serve), and while this cache's channels
   * are not subscribed: Redis refused them (an ACL without the channels does) or is resubscribing
   * them after a reconnect. Meanwhile other instances' invalidations are not heard (L1 is flushed
   * once the channel is subscribed; the subscription is retried every second), and with
   * acknowledged invalidation, writes return false. {@link Health#DOWN} after {@link #close()}.
   *
   * @return the health, also exported as {@code chimera.cache.health}
   */
  public Health health() {
    if (closed) {
      return Health.DOWN;
    }
    if (tier == null) {
      return Health.UP;
    }
    Health h = tier.health();
    return h == Health.UP && !listening(tier) ? Health.DEGRADED : h;
  }

  /** Whether Redis has this cache's channels subscribed (with confirmations, both of them). */
  private boolean listening(RedisTier t) {
    Coherence<K> co = coherence;
    return co == null
        || (t.listening(co.invalidationChannel())
            && (cfg.ackTimeoutNanos() == 0 || t.listening(co.confirmChannel())));
  }

  /**
   * Returns the cache name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Estimates the L1 bound (in its unit: bytes or entries) at which L1 would have reached the
   * PERF-008 L1 hit-rate target over the last 60 s, from how long ago the keys it missed had been
   * evicted.
   *
   * @return the current bound when the target is met; a larger bound when misses on recently
   *     evicted keys would close the gap; empty when there is no traffic yet or a larger L1 alone
   *     would not reach the target
   */
  public OptionalLong l1BoundForTarget() {
    double target = Perf008.KeyMetric.L1_HIT_RATE.target();
    long hits = meters.stats.inWindow(L1_HIT);
    long misses = meters.stats.inWindow(L1_MISS);
    long all = hits + misses;
    if (all == 0) {
      return OptionalLong.empty();
    }
    if ((double) hits / all >= target) {
      return OptionalLong.of(cfg.l1Bound());
    }
    long needed = (long) Math.ceil(target * all) - hits;
    long covered = 0;
    for (int b = 0; b < ThrashSampler.BUCKETS; b++) {
      covered += meters.stats.inWindow(DISTANCE0 + b);
      if (covered >= needed) {
        long extraEntries = ThrashSampler.bucketReach(b);
        if (!cfg.l1ByteBound()) {
          return OptionalLong.of(cfg.l1Bound() + extraEntries);
        }
        return OptionalLong.of(cfg.l1Bound() + extraEntries * l1.averageWeight());
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Returns the L1 share of misses on keys evicted moments ago, over the last 60 s.
   *
   * @return 0..1, or NaN before any miss
   */
  public double l1ThrashRatio() {
    long misses = meters.stats.inWindow(L1_MISS);
    return misses == 0
        ? Double.NaN
        : Math.min(1.0, (double) meters.stats.inWindow(THRASH) / misses);
  }

  /** Stops using Redis for this cache, removes its meters, and empties L1. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (replayTask != null) {
      replayTask.cancel(false);
    }
    if (tier != null && coherence != null) {
      coherence.cancelWaits();
      tier.unregister(coherence.invalidationChannel());
      tier.unregister(coherence.confirmChannel()); // a no-op unless confirmations were on
    }
    l1.invalidateAll();
    meters.close();
    envelope.close();
    releaseClock();
  }

  private void releaseClock() {
    if (clock == CoarseClock.INSTANCE) {
      CoarseClock.release();
    }
  }

  @Override
  public String toString() {
    return "TieredCache[" + name + ", " + (tier == null ? "L1 only" : tier.address()) + "]";
  }

  // ---- package-private -----------------------------------------------------------------------

  Envelope envelope() {
    return envelope;
  }

  ConcurrentHashMap<K, Flight<V>> flights() {
    return flights;
  }

  long ticker() {
    return clock.read();
  }

  /**
   * The wall-clock deadline, in epoch milliseconds, stamped on a value that Redis keeps for {@code
   * ttlNanos} from now (rounded as its PX is, to at least 1 ms). Always the wall clock, whatever
   * the cache's ticker: other hosts compare it with theirs.
   */
  long deadline(long ttlNanos) {
    return wallMillis() + Math.max(1, TimeUnit.NANOSECONDS.toMillis(ttlNanos));
  }

  /**
   * Nanoseconds until a deadline stamped by {@link #deadline} on any instance; 0 once past. A
   * deadline of at least {@link Envelope#MIN_DEADLINE}, as every accepted one is, cannot overflow
   * the subtraction.
   */
  long lifeLeft(long deadlineMillis) {
    long left = deadlineMillis - wallMillis();
    return left <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(left);
  }

  /**
   * The coarse wall clock beside the coarse {@link #clock} (a bulk read stamps and checks a
   * deadline per key), else the wall clock itself.
   */
  private long wallMillis() {
    return coarse ? CoarseClock.INSTANCE.wallMillis() : System.currentTimeMillis();
  }

  /**
   * The live L1 entry of a key, or null: each entry carries its own TTL (jitter, per-entry and
   * negative TTLs), checked here against {@link #clock}; an expired entry is removed.
   */
  private @Nullable Entry<V> l1Get(K key) {
    Entry<V> e = l1Map.get(key);
    if (e != null && (coarse ? CoarseClock.INSTANCE.read() : clock.read()) - e.expiresAt >= 0) {
      l1.expire(key, e);
      return null;
    }
    return e;
  }

  /** A new L1 entry: {@link Entry.Refreshable} when this cache refreshes ahead. */
  Entry<V> entry(@Nullable V value, long ttlNanos, long now, int weight) {
    return refreshAhead
        ? new Entry.Refreshable<>(value, ttlNanos, now, weight)
        : new Entry<>(value, ttlNanos, now, weight);
  }

  long jittered(long nanos) {
    double j = cfg.ttlJitter();
    if (j == 0) {
      return nanos;
    }
    double f = 1 + j * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.max(1, (long) (nanos * f));
  }

  private void replayIfDue() {
    if (!closed) {
      l1.maybeSweep();
    }
    Coherence<K> c = coherence;
    if (c != null && c.hasPending() && l2 != null && l2.usable() && !closed) {
      try {
        c.replay();
      } catch (RuntimeException e) {
        LOG.warn("cache '{}': replaying invalidations failed", name, e);
      }
    }
  }
}
