package io.chimera.perf.cache;

import static io.chimera.perf.core.MetricNames.*;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.RollingCounters;
import io.chimera.perf.core.Ticker;
import io.chimera.perf.core.internal.OwnedCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every meter of one cache, created up front. The hottest path, an L1 hit, is one plain write to
 * the calling thread's own cell ({@link OwnedCounter}, no atomic instruction); the others are one
 * {@link LongAdder} increment (inside {@link RollingCounters}). Micrometer reads our counters at
 * scrape time.
 */
final class CacheMeters implements AutoCloseable {

  static final Duration WINDOW = Duration.ofSeconds(60);

  static final int L1_HIT = 0;
  static final int L1_MISS = 1;
  static final int L2_HIT = 2;
  static final int L2_MISS = 3;
  static final int THRASH = 4;
  static final int DISTANCE0 = 5;

  static final int GET = 0;
  static final int MGET = 1;
  static final int SET = 2;
  static final int PIPELINE = 3;
  static final int DEL = 4;
  static final int PUBLISH = 5;
  static final int SCAN = 6;
  static final int CONFIRM = 7;
  private static final String[] OPS = {
    OP_GET, OP_MGET, OP_SET, OP_PIPELINE, OP_DEL, OP_PUBLISH, OP_SCAN, OP_CONFIRM
  };

  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int TIMEOUT = 2;
  static final int NOT_PERMITTED = 3;
  static final int CORRUPT = 4;
  private static final String[] OUTCOMES = {
    OUTCOME_SUCCESS, OUTCOME_FAILURE, OUTCOME_TIMEOUT, OUTCOME_NOT_PERMITTED, OUTCOME_CORRUPT
  };

  static final int LOAD_SUCCESS = 0;
  static final int LOAD_FAILURE = 1;
  static final int LOAD_ABSENT = 2;

  final RollingCounters stats;

  /** The L1 hits of {@link #stats}, counted without an atomic instruction. */
  private final OwnedCounter l1Hits;

  final ThrashSampler thrash = new ThrashSampler();
  final LongAdder evictedSize = new LongAdder();
  final LongAdder evictedExpired = new LongAdder();
  final LongAdder l2Corrupt = new LongAdder();
  final LongAdder oversize = new LongAdder();

  private final boolean tiered;
  private final Timer[] loads = new Timer[3];
  private final Timer[][] l2 = new Timer[OPS.length][OUTCOMES.length];
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  /**
   * @param confirming whether writes wait for confirmations (acknowledged invalidation): only then
   *     are the {@code confirm} timers registered
   */
  CacheMeters(
      MeterRegistry registry, String cache, boolean tiered, boolean confirming, Ticker ticker) {
    if (registry.find(CACHE_REQUESTS).tag(TAG_CACHE, cache).meter() != null) {
      // Micrometer would hand this cache the other one's meters, and closing either removes both.
      throw new IllegalStateException(
          "cache '"
              + cache
              + "': another open cache of that name has its meters in this registry; close it"
              + " first, or give this one another name");
    }
    this.registry = registry;
    this.tiered = tiered;
    this.stats = RollingCounters.create(DISTANCE0 + ThrashSampler.BUCKETS, WINDOW, ticker, L1_HIT);
    this.l1Hits = stats.owned(L1_HIT);
    Tags tags = Tags.of(TAG_CACHE, cache);
    requests(tags, TIER_L1, RESULT_HIT, L1_HIT);
    requests(tags, TIER_L1, RESULT_MISS, L1_MISS);
    ratio(tags, TIER_L1, m -> m.stats.ratio(L1_HIT, L1_HIT, L1_MISS));
    ratio(tags, TIER_COMBINED, CacheMeters::combinedRatio);
    if (tiered) {
      requests(tags, TIER_L2, RESULT_HIT, L2_HIT);
      requests(tags, TIER_L2, RESULT_MISS, L2_MISS);
      ratio(tags, TIER_L2, m -> m.stats.ratio(L2_HIT, L2_HIT, L2_MISS));
      evictions(tags, TIER_L2, CAUSE_CORRUPT, l2Corrupt);
      for (int op = 0; op < OPS.length; op++) {
        for (int outcome = 0; outcome < OUTCOMES.length; outcome++) {
          if ((outcome == CORRUPT && op != GET && op != MGET)
              || (op == CONFIRM
                  && (!confirming || outcome == NOT_PERMITTED || outcome == CORRUPT))) {
            continue;
          }
          l2[op][outcome] =
              add(
                  Timer.builder(CACHE_L2_OPERATIONS)
                      .description("Redis operations of the cache by operation and outcome")
                      .tags(tags)
                      .tag(TAG_OP, OPS[op])
                      .tag(TAG_OUTCOME, OUTCOMES[outcome])
                      .register(registry));
        }
      }
    }
    evictions(tags, TIER_L1, CAUSE_SIZE, evictedSize);
    evictions(tags, TIER_L1, CAUSE_EXPIRED, evictedExpired);
    evictions(tags, TIER_L1, CAUSE_OVERSIZE, oversize);
    String[] loadResults = {OUTCOME_SUCCESS, OUTCOME_FAILURE, RESULT_ABSENT};
    for (int i = 0; i < loads.length; i++) {
      loads[i] =
          add(
              Timer.builder(CACHE_LOAD)
                  .description("Time the loader took on a miss of both tiers")
                  .tags(tags)
                  .tag(TAG_RESULT, loadResults[i])
                  .register(registry));
    }
    gauge(
        tags,
        CACHE_L1_THRASH_RATIO,
        "Share of L1 misses on keys evicted moments ago, last 60 s",
        m -> {
          long misses = m.stats.inWindow(L1_MISS);
          return misses == 0
              ? Double.NaN
              : Math.min(1.0, (double) m.stats.inWindow(THRASH) / misses);
        });
  }

  /** Registers the memory and health gauges, which read the cache. */
  <T> void bindCache(
      Tags tags,
      T cache,
      ToDoubleFunction<T> used,
      ToDoubleFunction<T> max,
      ToDoubleFunction<T> utilization,
      Supplier<Health> health,
      boolean byteBound) {
    add(
        Gauge.builder(CACHE_L1_MEMORY_USED, cache, used)
            .description("Approximate bytes held by L1 (encoded keys and values plus overhead)")
            .baseUnit("bytes")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    if (byteBound) {
      add(
          Gauge.builder(CACHE_L1_MEMORY_MAX, cache, max)
              .description("The byte bound of L1")
              .baseUnit("bytes")
              .tags(tags)
              .strongReference(true)
              .register(registry));
    }
    add(
        Gauge.builder(CACHE_L1_MEMORY_UTILIZATION, cache, utilization)
            .description("L1 fill, 0..1 of its bound")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    add(
        Gauge.builder(CACHE_HEALTH, health, h -> h.get().gaugeValue())
            .description("1 healthy, 0.5 degraded (serving L1 and the loader), 0 down")
            .tags(tags)
            .strongReference(true)
            .register(registry));
  }

  /** The L1 hit count: the cache increments it on its hot path without a hop through here. */
  OwnedCounter l1Hits() {
    return l1Hits;
  }

  void l1Miss(Object key) {
    stats.increment(L1_MISS);
    int b = thrashBucket(key);
    if (b >= 0) {
      stats.increment(THRASH);
      stats.increment(DISTANCE0 + b);
    }
  }

  /** The distance bucket of a miss on a key evicted moments ago, else -1. */
  private int thrashBucket(Object key) {
    long d = thrash.distance(key.hashCode());
    return d < 0 ? -1 : ThrashSampler.bucket(d);
  }

  /**
   * The L1 misses of one bulk call, added to {@link #stats} at once by {@link #l1Misses}: one add
   * per counter touched instead of up to three increments per key.
   */
  static final class MissTally {
    private int misses;
    private int thrash;
    private final int[] distances = new int[ThrashSampler.BUCKETS];
  }

  /** Notes an L1 miss of {@code key} in {@code tally} (counted once {@link #l1Misses} runs). */
  void l1Miss(MissTally tally, Object key) {
    tally.misses++;
    int b = thrashBucket(key);
    if (b >= 0) {
      tally.thrash++;
      tally.distances[b]++;
    }
  }

  /** Counts the misses noted in {@code tally}. */
  void l1Misses(MissTally tally) {
    if (tally.misses == 0) {
      return;
    }
    stats.add(L1_MISS, tally.misses);
    if (tally.thrash > 0) {
      stats.add(THRASH, tally.thrash);
      for (int b = 0; b < tally.distances.length; b++) {
        if (tally.distances[b] > 0) {
          stats.add(DISTANCE0 + b, tally.distances[b]);
        }
      }
    }
  }

  void l2Hits(int n) {
    if (n > 0) {
      stats.add(L2_HIT, n);
    }
  }

  void l2Hit() {
    stats.increment(L2_HIT);
  }

  void l2Miss() {
    stats.increment(L2_MISS);
  }

  void load(int result, long startNanos) {
    loads[result].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void l2(int op, int outcome, long startNanos) {
    Timer t = l2[op][outcome];
    if (t != null) {
      t.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  double combinedRatio() {
    long l1Hits = stats.inWindow(L1_HIT);
    long l1Misses = stats.inWindow(L1_MISS);
    long l2Hits = tiered ? stats.inWindow(L2_HIT) : 0;
    long all = l1Hits + l1Misses;
    if (all == 0) {
      return Double.NaN;
    }
    return Math.min(1.0, (double) (l1Hits + Math.min(l2Hits, l1Misses)) / all);
  }

  private void requests(Tags tags, String tier, String result, int series) {
    add(
        FunctionCounter.builder(CACHE_REQUESTS, this, m -> m.stats.total(series))
            .description("Cache lookups by tier and result")
            .tags(tags)
            .tag(TAG_TIER, tier)
            .tag(TAG_RESULT, result)
            .register(registry));
  }

  private void ratio(Tags tags, String tier, ToDoubleFunction<CacheMeters> f) {
    add(
        Gauge.builder(CACHE_HIT_RATIO, this, f)
            .description("Hit ratio over the last 60 s")
            .tags(tags)
            .tag(TAG_TIER, tier)
            .strongReference(true)
            .register(registry));
  }

  private void evictions(Tags tags, String tier, String cause, LongAdder counter) {
    add(
        FunctionCounter.builder(CACHE_EVICTIONS, counter, LongAdder::sum)
            .description("Entries removed or refused, by tier and cause")
            .tags(tags)
            .tag(TAG_TIER, tier)
            .tag(TAG_CAUSE, cause)
            .register(registry));
  }

  private void gauge(Tags tags, String name, String description, ToDoubleFunction<CacheMeters> f) {
    add(
        Gauge.builder(name, this, f)
            .description(description)
            .tags(tags)
            .strongReference(true)
            .register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  @Override
  public void close() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }
}
