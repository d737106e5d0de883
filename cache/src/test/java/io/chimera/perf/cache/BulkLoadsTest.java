package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BulkLoadsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private TieredCache<String, String> cache(String name) {
    return RedisFixtures.steppedCache(name, registry, now::get).build();
  }

  private double l1(String cache, String result) {
    return registry
        .get(MetricNames.CACHE_REQUESTS)
        .tag(MetricNames.TAG_CACHE, cache)
        .tag(MetricNames.TAG_TIER, MetricNames.TIER_L1)
        .tag(MetricNames.TAG_RESULT, result)
        .functionCounter()
        .count();
  }

  @Test
  void getAllJoinsAKeyAnotherThreadLoadsAndCountsEachDistinctMissOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (TieredCache<String, String> cache = cache("join")) {
      cache.put("hit", "H");
      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<String> single =
          pool.submit(
              () ->
                  cache.get(
                      "j",
                      k -> {
                        loading.countDown();
                        await(release);
                        return "J";
                      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
      List<Set<String>> calls = new CopyOnWriteArrayList<>();
      Future<Map<String, String>> bulk =
          pool.submit(
              () ->
                  cache.getAll(
                      List.of("j", "x", "hit", "j", "x"),
                      keys -> {
                        calls.add(keys);
                        return Map.of("x", "X");
                      }));
      while (calls.isEmpty()) {
        Thread.onSpinWait(); // the bulk load of x is done; the call now waits on j's flight
      }
      assertThat(bulk.isDone()).isFalse();
      release.countDown();
      assertThat(single.get(10, TimeUnit.SECONDS)).isEqualTo("J");
      assertThat(bulk.get(10, TimeUnit.SECONDS))
          .containsExactlyInAnyOrderEntriesOf(Map.of("hit", "H", "x", "X", "j", "J"));
      assertThat(calls).containsExactly(Set.of("x"));
      // misses: j by the single get, then j and x once each by getAll; hits: "hit" once
      assertThat(l1("join", MetricNames.RESULT_MISS)).isEqualTo(3);
      assertThat(l1("join", MetricNames.RESULT_HIT)).isEqualTo(1);
      assertThat(cache.flights()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
