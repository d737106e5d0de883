package io.chimera.perf.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverAndAsyncTest {

  private final AtomicLong now = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ProviderBreakers breakers;

  @AfterEach
  void close() {
    if (breakers != null) {
      breakers.close();
    }
  }

  private ProviderBreakers build(Duration timeout) {
    ProviderBreakers.Builder b =
        ProviderBreakers.builder("llm")
            .meterRegistry(registry)
            .ticker(now::get)
            .defaultConfig(ProviderBreakersTest.smallWindow());
    if (timeout != null) {
      b.timeout(timeout);
    }
    return b.build();
  }

  private long calls(String provider, String outcome) {
    return (long)
        registry
            .get(MetricNames.BREAKER_CALLS)
            .tag(MetricNames.TAG_PROVIDER, provider)
            .tag(MetricNames.TAG_OUTCOME, outcome)
            .functionTimer()
            .count();
  }

  private static String down(String provider) {
    throw new UncheckedIOException(new IOException(provider + " is down"));
  }

  @Test
  void failoverMovesOnAfterAFailure() {
    breakers = build(null);
    List<String> tried = new ArrayList<>();
    String result =
        breakers.failover(
            p -> {
              tried.add(p);
              return p.equals("backup") ? "from " + p : down(p);
            },
            "primary",
            "backup");
    assertThat(result).isEqualTo("from backup");
    assertThat(tried).containsExactly("primary", "backup");
  }

  @Test
  void failoverSkipsAnOpenBreakerWithoutCallingIt() {
    breakers = build(null);
    breakers.circuitBreaker("primary").transitionToOpenState();
    List<String> tried = new ArrayList<>();
    String result =
        breakers.failover(
            p -> {
              tried.add(p);
              return p;
            },
            "primary",
            "backup");
    assertThat(result).isEqualTo("backup");
    assertThat(tried).containsExactly("backup");
    assertThat(calls("primary", MetricNames.OUTCOME_NOT_PERMITTED)).isEqualTo(1);
  }

  @Test
  void failoverReportsEveryProvidersStateAndCause() {
    breakers = build(null);
    breakers.circuitBreaker("a").transitionToOpenState();
    assertThatThrownBy(() -> breakers.failover(FailoverAndAsyncTest::down, "a", "b", "c"))
        .isInstanceOfSatisfying(
            AllProvidersFailedException.class,
            e -> {
              assertThat(e.attempts())
                  .extracting(AllProvidersFailedException.Attempt::provider)
                  .containsExactly("a", "b", "c");
              assertThat(e.attempts().get(0).state()).isEqualTo(State.OPEN);
              assertThat(e.attempts().get(0).cause()).isInstanceOf(BreakerOpenException.class);
              assertThat(e.attempts().get(1).state()).isEqualTo(State.CLOSED);
              assertThat(e.attempts().get(1).cause()).hasMessageContaining("b is down");
              assertThat(e.getSuppressed()).hasSize(3);
              assertThat(e.getMessage()).contains("a [OPEN]", "b [CLOSED]", "c is down");
            });
  }

  @Test
  void asyncSuccessAndFailureAreRecordedWhenTheStageCompletes() {
    breakers = build(null);
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> result = breakers.callAsync("p", () -> pending);
    assertThat(calls("p", MetricNames.OUTCOME_SUCCESS)).isZero();
    pending.complete("v");
    assertThat(result.join()).isEqualTo("v");
    assertThat(calls("p", MetricNames.OUTCOME_SUCCESS)).isEqualTo(1);

    CompletableFuture<String> failed =
        breakers.callAsync(
            "p", () -> CompletableFuture.failedFuture(new IOException("connection reset")));
    assertThatThrownBy(failed::join).hasCauseInstanceOf(IOException.class);
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isEqualTo(1);

    CompletableFuture<String> thrown =
        breakers.callAsync(
            "p",
            () -> {
              throw new IllegalStateException("no client");
            });
    assertThatThrownBy(thrown::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isEqualTo(2);
  }

  @Test
  void asyncRefusalIsAFailedFutureWithoutCallingTheSupplier() {
    breakers = build(null);
    breakers.circuitBreaker("p").transitionToOpenState();
    AtomicBoolean called = new AtomicBoolean();
    CompletableFuture<String> f =
        breakers.callAsync(
            "p",
            () -> {
              called.set(true);
              return CompletableFuture.completedFuture("x");
            });
    assertThatThrownBy(f::join).hasCauseInstanceOf(BreakerOpenException.class);
    assertThat(called).isFalse();
  }

  @Test
  void asyncTimeoutFailsAndCancelsTheStage() {
    breakers = build(Duration.ofMillis(50));
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> f = breakers.callAsync("p", () -> never);
    assertThatThrownBy(f::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ProviderTimeoutException.class)
        .hasMessageContaining("within 50 ms");
    assertThat(never).isCancelled();
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isEqualTo(1);
  }

  @Test
  void syncTimeoutInterruptsTheHungCall() throws InterruptedException {
    breakers = build(Duration.ofMillis(50));
    CountDownLatch interrupted = new CountDownLatch(1);
    assertThatThrownBy(
            () ->
                breakers.call(
                    "p",
                    () -> {
                      try {
                        new CountDownLatch(1).await();
                        return "never";
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                        Thread.currentThread().interrupt();
                        return "interrupted";
                      }
                    }))
        .isInstanceOfSatisfying(
            ProviderTimeoutException.class,
            e -> {
              assertThat(e.provider()).isEqualTo("p");
              assertThat(e.timeout()).isEqualTo(Duration.ofMillis(50));
            });
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isEqualTo(1);
  }

  @Test
  void syncTimeoutPassesResultsAndExceptionsThrough() {
    breakers = build(Duration.ofSeconds(5));
    assertThat(breakers.call("p", () -> "fast")).isEqualTo("fast");
    assertThatThrownBy(() -> breakers.call("p", () -> down("p")))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(calls("p", MetricNames.OUTCOME_SUCCESS)).isEqualTo(1);
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isEqualTo(1);
  }

  @Test
  void failoverPropagatesAnIgnoredExceptionAtOnceWithoutTryingTheNextProvider() {
    breakers = build(null);
    List<String> tried = new ArrayList<>();
    assertThatThrownBy(
            () ->
                breakers.failover(
                    p -> {
                      tried.add(p);
                      throw new IllegalArgumentException("bad request from the client");
                    },
                    "primary",
                    "backup"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad request from the client");
    assertThat(tried).containsExactly("primary");
    assertThat(calls("primary", MetricNames.OUTCOME_IGNORED)).isEqualTo(1);
    assertThat(calls("primary", MetricNames.OUTCOME_FAILURE)).isZero();
  }

  @Test
  void failoverTriesAProviderListedTwiceOnlyOnce() {
    breakers = build(null);
    List<String> tried = new ArrayList<>();
    assertThatThrownBy(
            () ->
                breakers.failover(
                    p -> {
                      tried.add(p);
                      return down(p);
                    },
                    "primary",
                    "backup",
                    "primary"))
        .isInstanceOfSatisfying(
            AllProvidersFailedException.class, e -> assertThat(e.getSuppressed()).hasSize(2));
    assertThat(tried).containsExactly("primary", "backup");
    assertThat(calls("primary", MetricNames.OUTCOME_FAILURE)).isEqualTo(1);
  }

  @Test
  void timedCallsThatIgnoreInterruptsCannotPileUpThreads() throws Exception {
    breakers =
        ProviderBreakers.builder("bounded")
            .meterRegistry(registry)
            .ticker(now::get)
            .defaultConfig(ProviderBreakersTest.smallWindow())
            .timeout(Duration.ofMillis(50))
            .maxTimeoutThreads(2)
            .build();
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong started = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    java.util.function.Supplier<String> stubborn =
        () -> {
          started.incrementAndGet();
          boolean interrupted = false;
          while (true) {
            try {
              release.await();
              break;
            } catch (InterruptedException e) {
              interrupted = true; // ignored, as a badly behaved client library would
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
          finished.incrementAndGet();
          return "late";
        };
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> breakers.call("p", stubborn))
          .isInstanceOf(ProviderTimeoutException.class);
    }
    assertThatThrownBy(() -> breakers.call("p", stubborn))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
        .hasMessageContaining("provider 'p' not called: all 2 timeout threads are busy");
    assertThat(started).as("the third call never ran").hasValue(2);
    assertThat(calls("p", MetricNames.OUTCOME_FAILURE)).isEqualTo(3);
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("chimera-breaker-bounded-"))
                .count())
        .isLessThanOrEqualTo(2);
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (finished.get() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    // A freed thread may not be waiting for work yet; each retry uses a fresh provider so the
    // rejections of that short window cannot open the breaker being retried.
    String result = null;
    for (int attempt = 0;
        result == null && attempt < 50 && System.nanoTime() < deadline;
        attempt++) {
      try {
        result = breakers.call("q" + attempt, () -> "ok");
      } catch (java.util.concurrent.RejectedExecutionException e) {
        Thread.onSpinWait();
      }
    }
    assertThat(result).as("threads come back once the hung calls end").isEqualTo("ok");
  }
}
