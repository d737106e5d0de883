package io.chimera.perf.benchmarks.core;

import io.chimera.perf.core.RollingCounters;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The record path of a {@link RollingCounters} window against a raw {@link LongAdder} and a
 * Micrometer counter, at 2 threads: the windowed hit ratios and rates must cost no more than the
 * counter they replace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CounterBenchmark {

  private LongAdder adder;
  private Counter counter;
  private RollingCounters window;

  /** Creates the three counters. */
  @Setup
  public void setUp() {
    adder = new LongAdder();
    counter = Counter.builder("bench").register(new SimpleMeterRegistry());
    window = RollingCounters.create(2, Duration.ofSeconds(60), Ticker.system());
  }

  /** Baseline: the JDK striped counter. */
  @Benchmark
  public void rawLongAdder() {
    adder.increment();
  }

  /** Micrometer's counter. */
  @Benchmark
  public void micrometerCounter() {
    counter.increment();
  }

  /** Our windowed counter's record path. */
  @Benchmark
  public void rollingCounters() {
    window.increment(0);
  }
}
