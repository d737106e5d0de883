package io.chimera.perf.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.PerformanceReview;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderBreakersTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ProviderBreakers breakers;

  /** Window of 4 calls, opens at 50 % failures, waits 10 s in OPEN, 1 half-open probe. */
  static CircuitBreakerConfig smallWindow() {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(4)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .permittedNumberOfCallsInHalfOpenState(1)
        .slowCallDurationThreshold(Duration.ofSeconds(2))
        .slowCallRateThreshold(100)
        .ignoreExceptions(IllegalArgumentException.class)
        .build();
  }

  private ProviderBreakers.Builder builder() {
    return ProviderBreakers.builder("llm")
        .meterRegistry(registry)
        .ticker(now::get)
        .defaultConfig(smallWindow());
  }

  @AfterEach
  void close() {
    if (breakers != null) {
      breakers.close();
    }
  }

  private static String fail() {
    throw new UncheckedIOException(new IOException("503"));
  }

  private void trip(String provider) {
    for (int i = 0; i < 2; i++) {
      breakers.call(provider, () -> "ok");
    }
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> breakers.call(provider, ProviderBreakersTest::fail))
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  private double counter(String name, String provider) {
    return registry.get(name).tag(MetricNames.TAG_PROVIDER, provider).functionCounter().count();
  }

  private long calls(String provider, String outcome) {
    FunctionTimer t =
        registry
            .get(MetricNames.BREAKER_CALLS)
            .tag(MetricNames.TAG_PROVIDER, provider)
            .tag(MetricNames.TAG_OUTCOME, outcome)
            .functionTimer();
    return (long) t.count();
  }

  @Test
  void opensAtTheFailureRateAndCountsOneTrip() {
    breakers = builder().build();
    trip("openai");

    assertThat(breakers.state("openai")).isEqualTo(State.OPEN);
    assertThat(counter(MetricNames.BREAKER_TRIPS, "openai")).isEqualTo(1);
    assertThat(calls("openai", MetricNames.OUTCOME_SUCCESS)).isEqualTo(2);
    assertThat(calls("openai", MetricNames.OUTCOME_FAILURE)).isEqualTo(2);
    assertThat(
            registry
                .get(MetricNames.BREAKER_STATE)
                .tag(MetricNames.TAG_PROVIDER, "openai")
                .tag(MetricNames.TAG_STATE, "open")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MetricNames.BREAKER_STATE)
                .tag(MetricNames.TAG_PROVIDER, "openai")
                .tag(MetricNames.TAG_STATE, "closed")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void refusedCallsDoNotRunTheSupplierAndSayWhenToRetry() {
    breakers = builder().build();
    trip("openai");
    now.addAndGet(TimeUnit.SECONDS.toNanos(3));
    AtomicInteger invoked = new AtomicInteger();

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> breakers.call("openai", invoked::incrementAndGet))
          .isInstanceOfSatisfying(
              BreakerOpenException.class,
              e -> {
                assertThat(e.provider()).isEqualTo("openai");
                assertThat(e.breaker()).isEqualTo("llm");
                assertThat(e.state()).isEqualTo(State.OPEN);
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                assertThat(e.getMessage()).contains("openai", "OPEN", "7000 ms");
                assertThat(e.getStackTrace()).isEmpty();
              });
    }
    assertThat(invoked).hasValue(0);
    assertThat(calls("openai", MetricNames.OUTCOME_NOT_PERMITTED)).isEqualTo(5);
  }

  @Test
  void halfOpenProbeClosesAndRecordsTheRecoveryDuration() {
    breakers = builder().build();
    trip("openai");
    now.addAndGet(TimeUnit.SECONDS.toNanos(10) + 1);

    assertThat(breakers.call("openai", () -> "probe")).isEqualTo("probe");

    assertThat(breakers.state("openai")).isEqualTo(State.CLOSED);
    assertThat(counter(MetricNames.BREAKER_RECOVERIES, "openai")).isEqualTo(1);
    Timer recovery =
        registry
            .get(MetricNames.BREAKER_RECOVERY_DURATION)
            .tag(MetricNames.TAG_PROVIDER, "openai")
            .timer();
    assertThat(recovery.count()).isEqualTo(1);
    assertThat(recovery.totalTime(TimeUnit.NANOSECONDS))
        .isEqualTo((double) (TimeUnit.SECONDS.toNanos(10) + 1));
    assertThat(counter(MetricNames.BREAKER_TRIPS, "openai")).isEqualTo(1);
  }

  @Test
  void failedProbeIsASecondTripAndRecoveryCountsFromTheFirst() {
    breakers = builder().build();
    trip("openai");
    now.addAndGet(TimeUnit.SECONDS.toNanos(11));
    assertThatThrownBy(() -> breakers.call("openai", ProviderBreakersTest::fail))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(breakers.state("openai")).isEqualTo(State.OPEN);
    assertThat(counter(MetricNames.BREAKER_TRIPS, "openai")).isEqualTo(2);

    now.addAndGet(TimeUnit.SECONDS.toNanos(11));
    breakers.call("openai", () -> "ok");

    Timer recovery = registry.get(MetricNames.BREAKER_RECOVERY_DURATION).timer();
    assertThat(recovery.totalTime(TimeUnit.SECONDS)).isEqualTo(22);
    assertThat(counter(MetricNames.BREAKER_RECOVERIES, "openai")).isEqualTo(1);
  }

  @Test
  void slowCallsAreCountedSlowFromTheTicker() {
    breakers = builder().build();
    for (int i = 0; i < 4; i++) {
      breakers.call(
          "slow",
          () -> {
            now.addAndGet(TimeUnit.SECONDS.toNanos(3));
            return "late";
          });
    }
    assertThat(calls("slow", MetricNames.OUTCOME_SLOW)).isEqualTo(4);
    assertThat(calls("slow", MetricNames.OUTCOME_SUCCESS)).isZero();
    assertThat(breakers.state("slow")).isEqualTo(State.OPEN);
  }

  @Test
  void ignoredExceptionsNeverTrip() {
    breakers = builder().build();
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(
              () ->
                  breakers.call(
                      "p",
                      () -> {
                        throw new IllegalArgumentException("bad request");
                      }))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(breakers.state("p")).isEqualTo(State.CLOSED);
    assertThat(calls("p", MetricNames.OUTCOME_IGNORED)).isEqualTo(10);
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).as("not the provider's fault").isZero();
    assertThat(calls("p", MetricNames.OUTCOME_SUCCESS)).isZero();
  }

  @Test
  void exceptionsTheConfigDoesNotRecordCountAsSuccessLikeResilience4jDoes() {
    breakers =
        ProviderBreakers.builder("llm")
            .meterRegistry(registry)
            .ticker(now::get)
            .defaultConfig(
                CircuitBreakerConfig.from(smallWindow())
                    .recordException(e -> !(e instanceof IllegalStateException))
                    .build())
            .build();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(
              () ->
                  breakers.call(
                      "p",
                      () -> {
                        throw new IllegalStateException("not recorded");
                      }))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(breakers.circuitBreaker("p").getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(4);
    assertThat(calls("p", MetricNames.OUTCOME_SUCCESS)).isEqualTo(4);
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isZero();
  }

  @Test
  void perProviderOverrideApplies() {
    breakers =
        builder()
            .provider(
                "strict",
                CircuitBreakerConfig.from(smallWindow())
                    .slidingWindowSize(2)
                    .minimumNumberOfCalls(2)
                    .build())
            .build();
    assertThat(breakers.providers()).containsExactly("strict");
    breakers.call("strict", () -> "ok");
    assertThatThrownBy(() -> breakers.call("strict", ProviderBreakersTest::fail))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(breakers.state("strict")).isEqualTo(State.OPEN);
  }

  @Test
  void forcedOpenIsNotATripAndHasNoRetryTime() {
    breakers = builder().build();
    breakers.circuitBreaker("p").transitionToForcedOpenState();
    assertThatThrownBy(() -> breakers.call("p", () -> "x"))
        .isInstanceOfSatisfying(
            BreakerOpenException.class,
            e -> {
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.getMessage()).contains("FORCED_OPEN", "closed by hand");
            });
    assertThat(counter(MetricNames.BREAKER_TRIPS, "p")).isZero();
  }

  @Test
  void tooManyProvidersAreRefusedAndMetersStayBounded() {
    breakers = builder().maxProviders(2).build();
    breakers.call("a", () -> 1);
    breakers.call("b", () -> 1);
    assertThatThrownBy(() -> breakers.call("c", () -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxProviders")
        .hasMessageContaining("'c'");
    assertThat(breakers.providers()).containsExactlyInAnyOrder("a", "b");
    assertThat(registry.find(MetricNames.BREAKER_TRIPS).functionCounters()).hasSize(2);
  }

  @Test
  void tripRateGaugeFeedsThePerformanceReview() {
    breakers = builder().build();
    trip("a");
    trip("b");
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    double rate =
        registry
            .get(MetricNames.BREAKER_TRIP_RATE)
            .tag(MetricNames.TAG_BREAKER, "llm")
            .gauge()
            .value();
    assertThat(rate).isEqualTo(2 / 10.0);
    PerformanceReview.Row row =
        PerformanceReview.review(registry).row(Perf008.KeyMetric.BREAKER_TRIP_RATE);
    assertThat(row.value()).isEqualTo(rate);
    assertThat(row.status()).isEqualTo(Perf008.KeyMetric.BREAKER_TRIP_RATE.status(rate));
  }

  @Test
  void resilience4jMetersAreBoundUnlessTurnedOff() {
    breakers = builder().build();
    breakers.call("p", () -> 1);
    assertThat(
            registry
                .find("resilience4j.circuitbreaker.calls")
                .tag(MetricNames.TAG_BREAKER, "llm")
                .tag(MetricNames.TAG_PROVIDER, "p")
                .timers())
        .isNotEmpty();
    breakers.close();
    assertThat(registry.find("resilience4j.circuitbreaker.calls").timers()).isEmpty();
    assertThat(registry.find(MetricNames.BREAKER_CALLS).functionTimers()).isEmpty();

    SimpleMeterRegistry other = new SimpleMeterRegistry();
    try (ProviderBreakers bare =
        ProviderBreakers.builder("bare").meterRegistry(other).resilience4jMeters(false).build()) {
      bare.call("p", () -> 1);
      assertThat(other.find("resilience4j.circuitbreaker.calls").timers()).isEmpty();
      assertThat(other.find(MetricNames.BREAKER_CALLS).functionTimers()).hasSize(5);
    }
  }

  @Test
  void callsAfterCloseAreRefused() {
    breakers = builder().build();
    breakers.call("p", () -> 1);
    breakers.close();
    assertThatThrownBy(() -> breakers.call("p", () -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void decoratedSupplierGoesThroughTheBreaker() {
    breakers = builder().build();
    var decorated = breakers.decorate("p", () -> "v");
    assertThat(decorated.get()).isEqualTo("v");
    assertThat(calls("p", MetricNames.OUTCOME_SUCCESS)).isEqualTo(1);
  }
}
