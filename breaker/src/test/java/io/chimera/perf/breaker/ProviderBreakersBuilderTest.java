package io.chimera.perf.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderBreakersBuilderTest {

  @Test
  void rejectsBadNamesWithTheValue() {
    assertThatThrownBy(() -> ProviderBreakers.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> ProviderBreakers.builder("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'has space'");
    assertThatThrownBy(() -> ProviderBreakers.builder("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProviderBreakers.builder(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejectsBadProviderNamesOnCall() {
    try (ProviderBreakers b =
        ProviderBreakers.builder("b").meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThatThrownBy(() -> b.call("bad/name", () -> 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'bad/name'");
      assertThat(b.providers()).isEmpty();
    }
  }

  @Test
  void rejectsOutOfRangeValuesWithTheRange() {
    assertThatThrownBy(() -> ProviderBreakers.builder("b").maxProviders(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 10000, got 0");
    assertThatThrownBy(() -> ProviderBreakers.builder("b").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 ms to 1 hour");
    assertThatThrownBy(() -> ProviderBreakers.builder("b").providerTimeout("p", Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT48H");
    assertThatThrownBy(() -> ProviderBreakers.builder("b").maxTimeoutThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTimeoutThreads must be 1 to 10000, got 0");
    assertThatThrownBy(
            () -> ProviderBreakers.builder("b").maxTimeoutThreads(4).maxTimeoutThreads(8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxTimeoutThreads was already set to 4");
  }

  @Test
  void rejectsSettingTwice() {
    assertThatThrownBy(() -> ProviderBreakers.builder("b").maxProviders(3).maxProviders(4))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                ProviderBreakers.builder("b")
                    .defaultConfig(CircuitBreakerConfig.ofDefaults())
                    .defaultConfig(CircuitBreakerConfig.ofDefaults()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                ProviderBreakers.builder("b")
                    .provider("p", CircuitBreakerConfig.ofDefaults())
                    .provider("p", CircuitBreakerConfig.ofDefaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'p'");
    assertThatThrownBy(
            () -> ProviderBreakers.builder("b").resilience4jMeters(true).resilience4jMeters(false))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void buildRejectsMoreConfiguredProvidersThanTheMaximum() {
    assertThatThrownBy(
            () ->
                ProviderBreakers.builder("b")
                    .maxProviders(1)
                    .provider("a", CircuitBreakerConfig.ofDefaults())
                    .providerTimeout("c", Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 providers")
        .hasMessageContaining("maxProviders is 1");
  }

  @Test
  void failoverNeedsAProvider() {
    try (ProviderBreakers b =
        ProviderBreakers.builder("b").meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThatThrownBy(() -> b.failover(p -> p))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least one provider");
    }
  }
}
