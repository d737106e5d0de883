package io.chimera.perf.cache;

import io.chimera.perf.compression.ContentCoding;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link TieredCache}; start with {@link TieredCache#builder(String)}. Every setter
 * validates at once and names the allowed range; rules between settings are checked in {@link
 * #build()}. Each setting may be set once.
 *
 * <pre>{@code
 * TieredCache<String, byte[]> blobs = TieredCache.builder("blobs")
 *     .keyCodec(CacheCodec.utf8())
 *     .valueCodec(CacheCodec.bytes())
 *     .redisTier(redis)
 *     .l1MaximumBytes(32L << 20)
 *     .negativeTtl(Duration.ofSeconds(30))
 *     .compression(ContentCoding.GZIP, 8 * 1024)
 *     .build();
 * }</pre>
 *
 * @param <K> the key type, fixed by {@link #keyCodec}
 * @param <V> the value type, fixed by {@link #valueCodec}
 */
public final class TieredCacheBuilder<K, V> {

  /** Default L1 bound in entries when neither bound is set. */
  public static final long DEFAULT_L1_MAXIMUM_ENTRIES = 10_000;

  /** Default L1 time to live. */
  public static final Duration DEFAULT_L1_TTL = Duration.ofMinutes(5);

  /** Default L2 time to live. */
  public static final Duration DEFAULT_L2_TTL = Duration.ofHours(1);

  /** Default TTL jitter: each TTL is spread by up to +/- this fraction. */
  public static final double DEFAULT_TTL_JITTER = 0.1;

  /** Default largest encoded key. */
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;

  /** Default largest encoded value. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

  /** Default bound of invalidations kept while Redis is unreachable. */
  public static final int DEFAULT_MAX_PENDING_INVALIDATIONS = 10_000;

  /** Default size from which L2 values are compressed (gzip). */
  public static final int DEFAULT_COMPRESS_ABOVE = 16 * 1024;

  private final String name;
  @Nullable private CacheCodec<?> keyCodec;
  @Nullable private CacheCodec<?> valueCodec;
  @Nullable private RedisTier tier;
  private long maxBytes;
  private long maxEntries;
  @Nullable private Duration l1Ttl;
  @Nullable private Duration l2Ttl;
  private double jitter = DEFAULT_TTL_JITTER;
  private Duration negativeTtl = Duration.ZERO;
  private Duration refreshAhead = Duration.ZERO;
  private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
  private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
  private int maxPending = DEFAULT_MAX_PENDING_INVALIDATIONS;
  private Duration ackTimeout = Duration.ZERO;
  private int compressAbove = DEFAULT_COMPRESS_ABOVE;
  private ContentCoding coding = ContentCoding.GZIP;
  private MeterRegistry registry = Metrics.globalRegistry;
  private Ticker ticker = Ticker.system();
  private Executor executor = ForkJoinPool.commonPool();
  private Executor l1Executor = L1Maintenance.INSTANCE;

  TieredCacheBuilder(String name) {
    this.name = name;
  }

  /**
   * Sets the key codec (required); it fixes the key type.
   *
   * @param codec the codec
   * @param <K1> the key type
   * @return this builder, typed
   * @throws IllegalStateException if already set
   */
  @SuppressWarnings("unchecked") // the builder holds no K-typed state before this
  public <K1> TieredCacheBuilder<K1, V> keyCodec(CacheCodec<K1> codec) {
    requireUnset(keyCodec, "keyCodec");
    this.keyCodec = Objects.requireNonNull(codec, "codec");
    return (TieredCacheBuilder<K1, V>) this;
  }

  /**
   * Sets the value codec (required); it fixes the value type.
   *
   * @param codec the codec
   * @param <V1> the value type
   * @return this builder, typed
   * @throws IllegalStateException if already set
   */
  @SuppressWarnings("unchecked") // the builder holds no V-typed state before this
  public <V1> TieredCacheBuilder<K, V1> valueCodec(CacheCodec<V1> codec) {
    requireUnset(valueCodec, "valueCodec");
    this.valueCodec = Objects.requireNonNull(codec, "codec");
    return (TieredCacheBuilder<K, V1>) this;
  }

  /**
   * Adds Redis as L2. Without it the cache is L1 only.
   *
   * @param tier the tier, shared with other caches; the caller closes it after the caches
   * @return this
   */
  public TieredCacheBuilder<K, V> redisTier(RedisTier tier) {
    requireUnset(this.tier, "redisTier");
    this.tier = Objects.requireNonNull(tier, "tier");
    return this;
  }

  /**
   * Bounds L1 by bytes: the sum of encoded key and value sizes plus a fixed per-entry overhead.
   *
   * @param bytes 1 KiB to 1 TiB
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> l1MaximumBytes(long bytes) {
    if (bytes < 1024 || bytes > (1L << 40)) {
      throw new IllegalArgumentException("l1MaximumBytes must be 1024 to 2^40, got " + bytes);
    }
    this.maxBytes = bytes;
    return this;
  }

  /**
   * Bounds L1 by entries; default {@value #DEFAULT_L1_MAXIMUM_ENTRIES}.
   *
   * @param entries 1 to 2^31
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> l1MaximumEntries(long entries) {
    if (entries < 1 || entries > (1L << 31)) {
      throw new IllegalArgumentException("l1MaximumEntries must be 1 to 2^31, got " + entries);
    }
    this.maxEntries = entries;
    return this;
  }

  /**
   * Sets how long L1 keeps an entry; no longer than the L2 TTL. Default 5 minutes.
   *
   * @param ttl 1 ms to 30 days
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> l1Ttl(Duration ttl) {
    this.l1Ttl = checkTtl("l1Ttl", ttl, Duration.ofMillis(1));
    return this;
  }

  /**
   * Sets how long Redis keeps an entry. Default 1 hour.
   *
   * @param ttl 1 ms to 30 days
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> l2Ttl(Duration ttl) {
    this.l2Ttl = checkTtl("l2Ttl", ttl, Duration.ofMillis(1));
    return this;
  }

  /**
   * Spreads every TTL by a random +/- fraction so keys written together do not expire together.
   *
   * @param fraction 0 (none) to 0.5; default {@value #DEFAULT_TTL_JITTER}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> ttlJitter(double fraction) {
    if (!(fraction >= 0 && fraction <= 0.5)) {
      throw new IllegalArgumentException("ttlJitter must be 0 to 0.5, got " + fraction);
    }
    this.jitter = fraction;
    return this;
  }

  /**
   * Caches a loader's "absent" (null) result in both tiers for this long. Default: not cached.
   *
   * @param ttl 1 ms to 1 day, or zero to turn it off
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> negativeTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "negativeTtl");
    this.negativeTtl =
        ttl.isZero() ? ttl : checkTtl("negativeTtl", ttl, Duration.ofMillis(1), Duration.ofDays(1));
    return this;
  }

  /**
   * Serves an L1 entry older than this and reloads it in the background (once) through the loader
   * of the {@code get} or {@code getAsync} that noticed (for {@code getAll}, its bulk loader asked
   * for that one key). Must be shorter than the L1 TTL. Default: off.
   *
   * @param age 1 ms to 30 days, or zero to turn it off
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> refreshAheadAfter(Duration age) {
    Objects.requireNonNull(age, "refreshAheadAfter");
    this.refreshAhead =
        age.isZero() ? age : checkTtl("refreshAheadAfter", age, Duration.ofMillis(1));
    return this;
  }

  /**
   * Sets the largest encoded key: larger keys are refused by {@code put} and not cached on load.
   *
   * @param bytes 1 to 65536; default {@value #DEFAULT_MAX_KEY_BYTES}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> maxKeyBytes(int bytes) {
    if (bytes < 1 || bytes > 65_536) {
      throw new IllegalArgumentException("maxKeyBytes must be 1 to 65536, got " + bytes);
    }
    this.maxKeyBytes = bytes;
    return this;
  }

  /**
   * Sets the largest encoded value: larger values are refused by {@code put} and not cached on load
   * (counted as evictions with cause {@code oversize}).
   *
   * @param bytes 1 to 512 MiB; default {@value #DEFAULT_MAX_VALUE_BYTES}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> maxValueBytes(int bytes) {
    if (bytes < 1 || bytes > (512 << 20)) {
      throw new IllegalArgumentException("maxValueBytes must be 1 to 536870912, got " + bytes);
    }
    this.maxValueBytes = bytes;
    return this;
  }

  /**
   * Bounds the invalidations kept while Redis is unreachable; past it one "invalidate all" is kept.
   *
   * @param count 1 to 1,000,000; default {@value #DEFAULT_MAX_PENDING_INVALIDATIONS}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> maxPendingInvalidations(int count) {
    if (count < 1 || count > 1_000_000) {
      throw new IllegalArgumentException(
          "maxPendingInvalidations must be 1 to 1000000, got " + count);
    }
    this.maxPending = count;
    return this;
  }

  /**
   * Makes {@code put}, {@code invalidate} and {@code invalidateAll} wait until every instance of
   * this cache has dropped the old value. Each instance subscribed to the cache's channel when the
   * invalidation is published confirms, on the writer's own confirmation channel, once its L1 entry
   * is gone, its in-flight loads of the key are marked stale, and a write-back of the old value it
   * had already sent to Redis has been answered and deleted again; the writer waits for as many
   * confirmations as Redis reported receivers, and for its own message to come back to it. When the
   * call returns {@code true}, no subscribed instance serves the old value any more; without this
   * option they drop it moments later, when the message reaches them.
   *
   * <p>An instance whose subscription is down is not among the receivers and cannot be waited for;
   * with this option it empties its L1 as soon as it notices the loss (and again when it
   * resubscribes), so it serves only values it loads itself meanwhile. The call returns {@code
   * false} when some receiver did not confirm within {@code timeout} (it is slow, or is a
   * subscriber that never confirms, such as a {@code redis-cli SUBSCRIBE}), or when this instance
   * was not subscribed itself; Redis has the write either way.
   *
   * <p>Turn it on only once every instance of the cache runs a version that has it: older ones
   * ignore the confirmed messages entirely, so they would keep serving old values until their L1
   * TTL, and never confirm. Not available on a Redis Cluster: there PUBLISH reports only the
   * subscribers of one node, so the writer cannot know how many confirmations to wait for; {@link
   * #build()} refuses it.
   *
   * @param timeout how long a write waits for the confirmations: more than 0, at most 10 s
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public TieredCacheBuilder<K, V> acknowledgedInvalidation(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException(
          "acknowledgedInvalidation timeout must be more than 0 and at most 10 s, got " + timeout);
    }
    this.ackTimeout = timeout;
    return this;
  }

  /**
   * Compresses L2 values of at least {@code minBytes} with {@code coding} (through the compression
   * module; kept only when smaller). Default gzip from {@value #DEFAULT_COMPRESS_ABOVE} bytes.
   *
   * @param coding gzip, br or zstd
   * @param minBytes 1 or more; 0 turns compression off
   * @return this
   * @throws IllegalArgumentException if the coding is identity or minBytes is negative
   */
  public TieredCacheBuilder<K, V> compression(ContentCoding coding, int minBytes) {
    Objects.requireNonNull(coding, "coding");
    if (coding == ContentCoding.IDENTITY) {
      throw new IllegalArgumentException("compression coding must be gzip, br or zstd");
    }
    if (minBytes < 0) {
      throw new IllegalArgumentException("compression minBytes must be 0 or more, got " + minBytes);
    }
    this.coding = coding;
    this.compressAbove = minBytes;
    return this;
  }

  /**
   * Sets the registry of the cache meters.
   *
   * @param registry the registry; default {@link Metrics#globalRegistry}
   * @return this
   */
  public TieredCacheBuilder<K, V> meterRegistry(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Sets the time source of TTLs, refresh-ahead and the 60 s windows (tests pass a fake one).
   *
   * <p>With the default, L1 expiry and refresh-ahead ages read a coarse copy of {@link
   * System#nanoTime()} refreshed every millisecond by one shared daemon thread (so an L1 hit reads
   * no clock); an L1 entry may therefore live about a millisecond past its TTL. Any other ticker is
   * read directly. The deadlines stamped on values in Redis, which other hosts read, are always on
   * the wall clock.
   *
   * @param ticker the ticker; default {@link Ticker#system()}
   * @return this
   */
  public TieredCacheBuilder<K, V> ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Sets where {@code getAsync} runs loaders and completes, and where refresh-ahead reloads run.
   *
   * <p>It must not run tasks on the calling thread (a caller-runs policy, a direct executor): the
   * continuation of a Redis reply would then run the loader on Lettuce's event loop. When it
   * refuses a task, that {@code getAsync} fails with a {@link
   * java.util.concurrent.RejectedExecutionException} naming the cache, and a refused refresh-ahead
   * is skipped; later reads of the key load it as usual.
   *
   * @param executor the executor; default {@link ForkJoinPool#commonPool()}
   * @return this
   */
  public TieredCacheBuilder<K, V> executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Caffeine's maintenance executor (tests use {@code Runnable::run}); default {@link
   * L1Maintenance}.
   */
  TieredCacheBuilder<K, V> l1Executor(Executor executor) {
    this.l1Executor = Objects.requireNonNull(executor, "l1Executor");
    return this;
  }

  /**
   * Builds the cache. With a Redis tier that is down, the cache starts degraded and uses Redis once
   * it is back.
   *
   * @return the cache
   * @throws IllegalStateException if a codec is missing, both L1 bounds are set, the L1 TTL is
   *     longer than the L2 TTL, refresh-ahead is not shorter than the L1 TTL, the tier already has
   *     a cache of this name, or acknowledged invalidation is asked of a Cluster tier
   */
  @SuppressWarnings("unchecked") // keyCodec and valueCodec were typed K and V by their setters
  public TieredCache<K, V> build() {
    if (keyCodec == null || valueCodec == null) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': keyCodec and valueCodec are required (for example"
              + " CacheCodec.utf8())");
    }
    if (maxBytes > 0 && maxEntries > 0) {
      throw new IllegalStateException(
          "cache '" + name + "': set l1MaximumBytes or l1MaximumEntries, not both");
    }
    Duration l1 = l1Ttl == null ? DEFAULT_L1_TTL : l1Ttl;
    Duration l2 = l2Ttl == null ? DEFAULT_L2_TTL : l2Ttl;
    if (l1.compareTo(l2) > 0) {
      if (l1Ttl != null && l2Ttl != null) {
        throw new IllegalStateException(
            "cache '" + name + "': l1Ttl (" + l1 + ") must not be longer than l2Ttl (" + l2 + ")");
      }
      // Only one was set: the other default follows it.
      if (l1Ttl == null) {
        l1 = l2;
      } else {
        l2 = l1;
      }
    }
    if (!refreshAhead.isZero() && refreshAhead.compareTo(l1) >= 0) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': refreshAheadAfter ("
              + refreshAhead
              + ") must be shorter than l1Ttl ("
              + l1
              + ")");
    }
    if (!ackTimeout.isZero() && tier != null && tier.cluster()) {
      throw new IllegalStateException(
          "cache '"
              + name
              + "': acknowledgedInvalidation needs a standalone or Sentinel Redis; on a Cluster"
              + " PUBLISH counts only one node's subscribers, so confirmations cannot be counted");
    }
    boolean byteBound = maxBytes > 0;
    CacheConfig<K, V> cfg =
        new CacheConfig<>(
            name,
            (CacheCodec<K>) keyCodec,
            (CacheCodec<V>) valueCodec,
            tier,
            byteBound,
            byteBound ? maxBytes : (maxEntries > 0 ? maxEntries : DEFAULT_L1_MAXIMUM_ENTRIES),
            l1.toNanos(),
            l2.toNanos(),
            jitter,
            negativeTtl.toNanos(),
            refreshAhead.toNanos(),
            maxKeyBytes,
            maxValueBytes,
            maxPending,
            ackTimeout.toNanos(),
            compressAbove,
            coding,
            registry,
            ticker,
            executor,
            l1Executor);
    return new TieredCache<>(cfg);
  }

  private static void requireUnset(@Nullable Object value, String what) {
    if (value != null) {
      throw new IllegalStateException(what + " was already set");
    }
  }

  private static Duration checkTtl(String what, Duration ttl, Duration min) {
    return checkTtl(what, ttl, min, Duration.ofDays(30));
  }

  private static Duration checkTtl(String what, Duration ttl, Duration min, Duration max) {
    Objects.requireNonNull(ttl, what);
    if (ttl.compareTo(min) < 0 || ttl.compareTo(max) > 0) {
      throw new IllegalArgumentException(what + " must be " + min + " to " + max + ", got " + ttl);
    }
    return ttl;
  }
}
