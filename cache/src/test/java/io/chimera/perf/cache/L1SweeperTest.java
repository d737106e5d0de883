package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class L1SweeperTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private TieredCache<String, String> cache(String name) {
    return RedisFixtures.steppedCache(name, registry, now::get)
        .l1Ttl(Duration.ofSeconds(10))
        .build();
  }

  private double expiredEvictions(String cache) {
    return registry
        .get(MetricNames.CACHE_EVICTIONS)
        .tag(MetricNames.TAG_CACHE, cache)
        .tag(MetricNames.TAG_CAUSE, MetricNames.CAUSE_EXPIRED)
        .functionCounter()
        .count();
  }

  private double memoryUsed(String cache) {
    return registry
        .get(MetricNames.CACHE_L1_MEMORY_USED)
        .tag(MetricNames.TAG_CACHE, cache)
        .gauge()
        .value();
  }

  @Test
  void periodIsHalfTheL1TtlWithinOneToSixtySeconds() {
    assertThat(L1Sweeper.periodNanos(Duration.ofMillis(10).toNanos()))
        .isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(L1Sweeper.periodNanos(Duration.ofSeconds(10).toNanos()))
        .isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(L1Sweeper.periodNanos(Duration.ofMinutes(5).toNanos()))
        .isEqualTo(Duration.ofSeconds(60).toNanos());
  }

  @Test
  void aWriteAfterThePeriodRemovesExpiredEntriesNobodyReads() {
    try (TieredCache<String, String> cache = cache("sweep")) {
      for (int i = 0; i < 100; i++) {
        cache.put("short-" + i, "v", Duration.ofSeconds(1));
      }
      cache.put("long", "v");
      double full = memoryUsed("sweep");
      now.addAndGet(Duration.ofSeconds(2).toNanos());
      cache.put("early", "v"); // the sweep is not due before 5 s
      assertThat(cache.l1.caffeine.estimatedSize()).isEqualTo(102);
      assertThat(expiredEvictions("sweep")).isZero();

      now.addAndGet(Duration.ofSeconds(4).toNanos());
      cache.put("due", "v"); // 6 s: due, and runs on the (direct) L1 executor
      assertThat(cache.l1.caffeine.estimatedSize()).isEqualTo(3);
      assertThat(expiredEvictions("sweep")).isEqualTo(100);
      assertThat(memoryUsed("sweep")).isLessThan(full / 10);
      assertThat(cache.getIfPresent("long")).isEqualTo("v");
      assertThat(cache.getIfPresent("due")).isEqualTo("v");
    }
  }

  @Test
  void anExpiredEntryIsNeverServedBeforeTheSweepAndCountedOnce() {
    try (TieredCache<String, String> cache = cache("once")) {
      cache.put("k", "v", Duration.ofSeconds(1));
      now.addAndGet(Duration.ofSeconds(2).toNanos());
      assertThat(cache.getIfPresent("k")).isNull(); // removed by the read, counted expired
      assertThat(expiredEvictions("once")).isEqualTo(1);
      cache.l1.cleanUp(); // sweeps: nothing left to count
      assertThat(expiredEvictions("once")).isEqualTo(1);
      assertThat(cache.l1.caffeine.estimatedSize()).isZero();
    }
  }

  @Test
  void cleanUpSweepsEvenWithoutWrites() {
    try (TieredCache<String, String> cache = cache("cleanup")) {
      cache.put("a", "v");
      cache.put("b", "v", Duration.ofSeconds(3));
      now.addAndGet(Duration.ofSeconds(4).toNanos());
      cache.l1.cleanUp();
      assertThat(cache.l1.caffeine.asMap()).containsOnlyKeys("a");
      assertThat(expiredEvictions("cleanup")).isEqualTo(1);
    }
  }
}
