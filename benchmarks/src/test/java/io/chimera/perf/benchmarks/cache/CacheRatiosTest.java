package io.chimera.perf.benchmarks.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

class CacheRatiosTest {

  @Test
  void medianOfOddAndEvenCountsAndOfNothing() {
    assertThat(CacheRatios.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    assertThat(CacheRatios.median(List.of(4.0, 1.0, 3.0, 100.0))).isEqualTo(3.5);
    assertThat(CacheRatios.median(List.of())).isNaN();
  }

  @Test
  void theSpreadOfRoundsSaysHowManyMetTheTarget() {
    assertThat(CacheRatios.spread(List.of(0.75, 0.86, 0.8, 0.7), 0.8))
        .isEqualTo("by round: 0.700 to 0.860, 2 of 4 rounds at or above the target");
  }

  @Test
  void aReferencePairHasNoVerdictAndItsSpreadNoCount() {
    CacheRatios.Pair target = new CacheRatios.Pair("a", "b", true, 0.9, "t");
    CacheRatios.Pair reference = new CacheRatios.Pair("a", "c", true, Double.NaN, "r");
    assertThat(target.isReference()).isFalse();
    assertThat(target.verdict(0.95)).isEqualTo("target 0.900: met");
    assertThat(target.verdict(0.85)).isEqualTo("target 0.900: NOT met");
    assertThat(reference.isReference()).isTrue();
    assertThat(reference.verdict(0.5)).isEqualTo("reference, no target");
    assertThat(CacheRatios.spread(List.of(0.9, 1.1), Double.NaN))
        .isEqualTo("by round: 0.900 to 1.100");
  }

  @Test
  void everyTargetOfTheIssueIsAPairWithATarget() {
    assertThat(CacheRatios.PAIRS.stream().filter(p -> !p.isReference()).map(p -> p.target()))
        .containsExactly(0.8, 0.8, 1 / 1.1, 0.9);
  }

  @Test
  void ratiosAreOrientedSoThatMoreIsBetterForOurs() {
    CacheRatios.Pair throughput = new CacheRatios.Pair("a", "b", true, 0.8, "thrpt");
    CacheRatios.Pair latency = new CacheRatios.Pair("a", "b", false, 1 / 1.1, "avgt");
    assertThat(throughput.ratio(80, 100)).isEqualTo(0.8);
    // ours takes 110 us where raw takes 100 us: exactly the "within 1.1x" limit
    assertThat(latency.ratio(110, 100)).isCloseTo(latency.target(), within(1e-12));
    assertThat(latency.ratio(120, 100)).isLessThan(latency.target());
  }

  @Test
  void everyPairNamesBenchmarksThatExistAndShareOneState() {
    for (CacheRatios.Pair p : CacheRatios.PAIRS) {
      Method ours = benchmark(p.ours());
      Method raw = benchmark(p.raw());
      assertThat(ours.getAnnotation(Benchmark.class)).isNotNull();
      assertThat(raw.getAnnotation(Benchmark.class)).isNotNull();
      // both sides build the same state: the same subjects, Redis and tier in each fork
      assertThat(ours.getParameterTypes()).hasSize(1).isEqualTo(raw.getParameterTypes());
    }
  }

  private static Method benchmark(String name) {
    return Arrays.stream(TieredCacheBenchmark.class.getMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no benchmark " + name));
  }

  @Test
  void badRoundsAreAUsageErrorWithoutRunningAnything() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertThat(CacheRatios.run(new String[] {"many"}, ps)).isEqualTo(2);
    assertThat(CacheRatios.run(new String[] {"0"}, ps)).isEqualTo(2);
    assertThat(CacheRatios.run(new String[] {"1", "noSuchBenchmark"}, ps)).isEqualTo(2);
    assertThat(CacheRatios.run(new String[] {"1", "l1Hit", "extra"}, ps)).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
