package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.fail;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the tests. */
final class RedisFixtures {

  private RedisFixtures() {}

  /** An executor that refuses every task, as a full bounded pool with an abort policy does. */
  static final Executor REFUSING =
      r -> {
        throw new RejectedExecutionException("queue full");
      };

  static RedisTier tier(String uri, MeterRegistry registry) {
    return RedisTier.builder(uri)
        .meterRegistry(registry)
        .maxReconnectDelay(Duration.ofMillis(200))
        .build();
  }

  static TieredCache<String, String> cache(String name, RedisTier tier, MeterRegistry registry) {
    return cacheBuilder(name, tier, registry).build();
  }

  /** A UTF-8 string cache on {@code tier}, to configure further. */
  static TieredCacheBuilder<String, String> cacheBuilder(
      String name, RedisTier tier, MeterRegistry registry) {
    return TieredCache.builder(name)
        .keyCodec(CacheCodec.utf8())
        .valueCodec(CacheCodec.utf8())
        .redisTier(tier)
        .meterRegistry(registry);
  }

  /** Redis operations that ended with {@code outcome}, over every cache and op of the registry. */
  static double l2Operations(MeterRegistry registry, String outcome) {
    return registry
        .find(MetricNames.CACHE_L2_OPERATIONS)
        .tag(MetricNames.TAG_OUTCOME, outcome)
        .timers()
        .stream()
        .mapToDouble(t -> t.count())
        .sum();
  }

  /** Entries removed for {@code cause}, over every cache and tier of the registry. */
  static double evictions(MeterRegistry registry, String cause) {
    return registry
        .find(MetricNames.CACHE_EVICTIONS)
        .tag(MetricNames.TAG_CAUSE, cause)
        .functionCounters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /**
   * A UTF-8 string cache on a fake ticker with no TTL jitter, running its maintenance and loads on
   * the calling thread, for unit tests that step time by hand.
   */
  static TieredCacheBuilder<String, String> steppedCache(
      String name, MeterRegistry registry, Ticker ticker) {
    return TieredCache.builder(name)
        .keyCodec(CacheCodec.utf8())
        .valueCodec(CacheCodec.utf8())
        .meterRegistry(registry)
        .ticker(ticker)
        .ttlJitter(0)
        .l1Executor(Runnable::run)
        .executor(Runnable::run);
  }

  /** Polls until the condition holds, failing after the deadline. */
  static void eventually(Duration within, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + within.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }
}
