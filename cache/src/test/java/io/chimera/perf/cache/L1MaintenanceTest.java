package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.evictions;
import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class L1MaintenanceTest {

  @Test
  void aWriteRunsItsMaintenanceAtOnce() {
    AtomicInteger ran = new AtomicInteger();
    L1Maintenance.Writing w = L1Maintenance.beginWrite();
    try {
      L1Maintenance.INSTANCE.execute(ran::incrementAndGet);
      assertThat(ran).hasValue(1);
    } finally {
      L1Maintenance.endWrite(w);
    }
  }

  @Test
  void aBulkWriteHoldsMaintenanceBackUntilItEndsOrTooMuchWaits() {
    AtomicInteger ran = new AtomicInteger();
    L1Maintenance.Writing bulk = L1Maintenance.beginBulk();
    try {
      for (int i = 0; i < L1Maintenance.MAX_DEFERRED - 1; i++) {
        L1Maintenance.Writing w = L1Maintenance.beginWrite();
        try {
          L1Maintenance.INSTANCE.execute(ran::incrementAndGet);
        } finally {
          L1Maintenance.endWrite(w);
        }
      }
      assertThat(ran).hasValue(0);
      L1Maintenance.Writing w = L1Maintenance.beginWrite();
      try {
        L1Maintenance.INSTANCE.execute(ran::incrementAndGet); // the bound: all run now
      } finally {
        L1Maintenance.endWrite(w);
      }
      assertThat(ran).hasValue(L1Maintenance.MAX_DEFERRED);
      w = L1Maintenance.beginWrite();
      try {
        L1Maintenance.INSTANCE.execute(ran::incrementAndGet);
      } finally {
        L1Maintenance.endWrite(w);
      }
      assertThat(ran).hasValue(L1Maintenance.MAX_DEFERRED);
    } finally {
      L1Maintenance.endBulk(bulk);
    }
    assertThat(ran).hasValue(L1Maintenance.MAX_DEFERRED + 1);
  }

  @Test
  void getAllLeavesL1WithinItsBoundAndCountsEveryEviction() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TieredCache<String, String> cache =
        TieredCache.builder("bulk")
            .keyCodec(CacheCodec.utf8())
            .valueCodec(CacheCodec.utf8())
            .meterRegistry(registry)
            .l1MaximumEntries(10)
            .build()) { // the default L1 maintenance executor
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        keys.add("k" + i);
      }
      Map<String, String> got =
          cache.getAll(
              keys,
              ks -> {
                Map<String, String> m = new LinkedHashMap<>();
                ks.forEach(k -> m.put(k, "v-" + k));
                return m;
              });
      assertThat(got).hasSize(100).containsEntry("k42", "v-k42");
      assertThat(cache.l1.caffeine.estimatedSize()).isLessThanOrEqualTo(10);
      assertThat(evictions(registry, MetricNames.CAUSE_SIZE))
          .isEqualTo((double) (100 - cache.l1.caffeine.estimatedSize()));
    }
  }
}
