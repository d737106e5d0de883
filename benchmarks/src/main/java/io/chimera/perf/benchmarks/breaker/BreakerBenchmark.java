package io.chimera.perf.benchmarks.breaker;

import io.chimera.perf.breaker.BreakerOpenException;
import io.chimera.perf.breaker.ProviderBreakers;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A successful call through a closed breaker, all with the same {@link CircuitBreakerConfig}:
 *
 * <ul>
 *   <li>{@code rawWithR4jMicrometer}: Resilience4j {@code executeSupplier} with its own Micrometer
 *       binding ({@code TaggedCircuitBreakerMetrics}) on - the baseline; target for {@code call}:
 *       at least 0.8x its throughput;
 *   <li>{@code rawBare}: Resilience4j {@code executeSupplier} with no metrics at all;
 *   <li>{@code call}: {@link ProviderBreakers#call} with the chimera meters and Resilience4j's
 *       binding (the default);
 *   <li>{@code callChimeraMetersOnly}: the chimera meters without Resilience4j's binding; against
 *       {@code rawBare} this is what the PERF-008 meters cost. Most of it is Resilience4j's own:
 *       counting transitions exactly needs a state-transition subscriber, and with any subscriber
 *       Resilience4j builds an event (with a {@code ZonedDateTime}) for every call;
 *   <li>{@code decorated}: {@link ProviderBreakers#decorate}, the provider looked up once;
 *   <li>{@code refused} and {@code rawRefused}: a call refused by an OPEN breaker (ours throws a
 *       stackless {@code BreakerOpenException}, Resilience4j a {@code CallNotPermittedException}).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BreakerBenchmark {

  private static final String PROVIDER = "openai";

  private Supplier<String> answer;
  private CircuitBreaker rawWithMetrics;
  private CircuitBreaker rawBare;
  private ProviderBreakers chimera;
  private ProviderBreakers chimeraOnly;
  private Supplier<String> decorated;
  private CircuitBreaker rawOpen;
  private ProviderBreakers chimeraOpen;

  /** Builds each breaker from the same config. */
  @Setup
  public void setUp() {
    answer = BreakerBenchmark::answer;
    CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();

    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry)
        .bindTo(new SimpleMeterRegistry());
    rawWithMetrics = registry.circuitBreaker(PROVIDER);

    rawBare = CircuitBreaker.of(PROVIDER, config);

    chimera =
        ProviderBreakers.builder("bench")
            .meterRegistry(new SimpleMeterRegistry())
            .defaultConfig(config)
            .build();
    chimeraOnly =
        ProviderBreakers.builder("bench-only")
            .meterRegistry(new SimpleMeterRegistry())
            .defaultConfig(config)
            .resilience4jMeters(false)
            .build();
    decorated = chimera.decorate(PROVIDER, answer);

    CircuitBreakerConfig longWait =
        CircuitBreakerConfig.from(config).waitDurationInOpenState(Duration.ofHours(1)).build();
    rawOpen = registry.circuitBreaker("down", longWait);
    rawOpen.transitionToOpenState();
    chimeraOpen =
        ProviderBreakers.builder("bench-open")
            .meterRegistry(new SimpleMeterRegistry())
            .defaultConfig(longWait)
            .build();
    chimeraOpen.circuitBreaker("down").transitionToOpenState();
  }

  /** Closes the breakers. */
  @TearDown
  public void tearDown() {
    chimera.close();
    chimeraOnly.close();
    chimeraOpen.close();
  }

  private static String answer() {
    return "answer";
  }

  /** Baseline: Resilience4j with its Micrometer binding. */
  @Benchmark
  public String rawWithR4jMicrometer() {
    return rawWithMetrics.executeSupplier(answer);
  }

  /** Resilience4j with no metrics. */
  @Benchmark
  public String rawBare() {
    return rawBare.executeSupplier(answer);
  }

  /** Ours, default: chimera meters plus Resilience4j's binding. */
  @Benchmark
  public String call() {
    return chimera.call(PROVIDER, answer);
  }

  /** Ours without Resilience4j's binding. */
  @Benchmark
  public String callChimeraMetersOnly() {
    return chimeraOnly.call(PROVIDER, answer);
  }

  /** Ours, provider bound once. */
  @Benchmark
  public String decorated() {
    return decorated.get();
  }

  /** Ours: refused by an open breaker. */
  @Benchmark
  public Object refused() {
    try {
      return chimeraOpen.call("down", answer);
    } catch (BreakerOpenException e) {
      return e;
    }
  }

  /** Resilience4j: refused by an open breaker. */
  @Benchmark
  public Object rawRefused() {
    try {
      return rawOpen.executeSupplier(answer);
    } catch (CallNotPermittedException e) {
      return e;
    }
  }
}
