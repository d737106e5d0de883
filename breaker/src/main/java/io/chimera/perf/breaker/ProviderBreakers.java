package io.chimera.perf.breaker;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j {@link CircuitBreaker} per provider, with the PERF-008 trip and recovery meters
 * and ordered failover.
 *
 * <p>Each provider's breaker is built from the default {@link CircuitBreakerConfig} or that
 * provider's override, created up front for providers named in the builder and on first use for
 * others, up to {@link Builder#maxProviders(int)}. A provider past that limit is refused with an
 * {@link IllegalStateException} rather than folded into a shared "other" breaker: folding would let
 * one bad provider open the circuit for unrelated ones, and refusing keeps the {@code provider} tag
 * bounded.
 *
 * <p>Meters, all tagged {@code breaker} (this name) and {@code provider}: {@link
 * MetricNames#BREAKER_TRIPS} (every transition into OPEN, HALF_OPEN to OPEN included; FORCED_OPEN
 * is not a trip), {@link MetricNames#BREAKER_STATE} (one gauge per state, 1 or 0), {@link
 * MetricNames#BREAKER_RECOVERIES} and {@link MetricNames#BREAKER_RECOVERY_DURATION} (first trip to
 * CLOSED), {@link MetricNames#BREAKER_CALLS} by outcome (success, failure, slow, not_permitted,
 * ignored: an exception the config's {@code ignoreExceptions} covers; one it does not record is a
 * success or slow, as Resilience4j counts it) and, tagged {@code breaker} only, {@link
 * MetricNames#BREAKER_TRIP_RATE} (trips per second over the last 5 minutes, read by the performance
 * review). Resilience4j's own {@code resilience4j.circuitbreaker.*} meters are bound through its
 * Micrometer module unless {@link Builder#resilience4jMeters(boolean) turned off}. Counts are
 * {@code LongAdder}s read at scrape time; trips and recoveries are counted from state-transition
 * events only, the one exact source of transitions Resilience4j offers (a refusal that races the
 * OPEN to HALF_OPEN transition is one {@code not_permitted} call here, where Resilience4j's own
 * counter may count it twice).
 *
 * <pre>{@code
 * try (ProviderBreakers breakers = ProviderBreakers.builder("llm")
 *     .meterRegistry(registry)
 *     .defaultConfig(CircuitBreakerConfig.custom().failureRateThreshold(50).build())
 *     .provider("backup", CircuitBreakerConfig.custom().slidingWindowSize(20).build())
 *     .timeout(Duration.ofSeconds(5))
 *     .build()) {
 *   String answer = breakers.call("openai", () -> client.ask(prompt));
 *   String any = breakers.failover(p -> clientFor(p).ask(prompt), "openai", "backup");
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ProviderBreakers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderBreakers.class);

  /** The default {@link Builder#maxProviders(int)}. */
  public static final int DEFAULT_MAX_PROVIDERS = 64;

  /** The largest {@link Builder#maxProviders(int)}. */
  public static final int MAX_PROVIDERS_LIMIT = 10_000;

  /** The default {@link Builder#maxTimeoutThreads(int)}. */
  public static final int DEFAULT_MAX_TIMEOUT_THREADS = 64;

  /** The largest {@link Builder#maxTimeoutThreads(int)}. */
  public static final int MAX_TIMEOUT_THREADS_LIMIT = 10_000;

  private final String name;
  private final ProviderTable table;

  private ProviderBreakers(Builder b, MeterRegistry registry) {
    this.name = b.name;
    this.table =
        new ProviderTable(
            b.name,
            b.defaultConfig,
            b.overrides,
            b.timeout,
            b.timeouts,
            b.maxProviders == 0 ? DEFAULT_MAX_PROVIDERS : b.maxProviders,
            b.maxTimeoutThreads == 0 ? DEFAULT_MAX_TIMEOUT_THREADS : b.maxTimeoutThreads,
            b.ticker,
            b.resilience4jMeters,
            registry);
  }

  /**
   * Starts a builder.
   *
   * @param name the name of this set of breakers, the {@code breaker} tag: 1 to 64 characters of
   *     {@code [A-Za-z0-9._:-]}
   * @return a builder
   * @throws IllegalArgumentException if the name is empty, too long or has other characters
   */
  public static Builder builder(String name) {
    return new Builder(ProviderTable.checkName("breaker name", name));
  }

  /**
   * Returns the name, the {@code breaker} tag on every meter.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Calls {@code supplier} through {@code provider}'s breaker. Its result and duration are recorded
   * as Resilience4j's {@code executeSupplier} records them; with a timeout configured the supplier
   * runs on an internal thread and is interrupted when the timeout passes.
   *
   * @param provider the provider name (a tag value; see {@link #builder})
   * @param supplier the call
   * @param <T> the result type
   * @return what the supplier returned
   * @throws BreakerOpenException at once, without calling the supplier, if the breaker refuses
   * @throws ProviderTimeoutException if a timeout is configured and the call exceeded it
   * @throws java.util.concurrent.RejectedExecutionException at once, without calling the supplier,
   *     if a timeout is configured and all {@link Builder#maxTimeoutThreads} threads are busy; it
   *     counts as a failure of the provider
   * @throws IllegalStateException if the provider would exceed {@link Builder#maxProviders}, or
   *     after {@link #close()}
   * @throws IllegalArgumentException if the provider name is not a valid tag value
   */
  public <T> T call(String provider, Supplier<T> supplier) {
    return table.breaker(provider).call(supplier);
  }

  /**
   * Calls {@code stageSupplier} through {@code provider}'s breaker and records the outcome when its
   * stage completes. Refusals and timeouts complete the returned future exceptionally with {@link
   * BreakerOpenException} or {@link ProviderTimeoutException}; a timed-out stage is cancelled.
   *
   * @param provider the provider name
   * @param stageSupplier starts the call
   * @param <T> the result type
   * @return a future of the stage's result
   * @throws IllegalStateException if the provider would exceed {@link Builder#maxProviders}, or
   *     after {@link #close()}
   * @throws IllegalArgumentException if the provider name is not a valid tag value
   */
  public <T> CompletableFuture<T> callAsync(
      String provider, Supplier<? extends CompletionStage<T>> stageSupplier) {
    return table.breaker(provider).callAsync(stageSupplier);
  }

  /**
   * Returns {@code supplier} wrapped in {@code provider}'s breaker, looked up once now: each {@code
   * get()} behaves as {@link #call(String, Supplier)}.
   *
   * @param provider the provider name
   * @param supplier the call
   * @param <T> the result type
   * @return the decorated supplier
   * @throws IllegalStateException if the provider would exceed {@link Builder#maxProviders}, or
   *     after {@link #close()}
   */
  public <T> Supplier<T> decorate(String provider, Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    ProviderBreaker breaker = table.breaker(provider);
    return () -> breaker.call(supplier);
  }

  /**
   * Tries {@code call} against each provider in order and returns the first result. A provider
   * whose breaker refuses is skipped without being called; a provider that fails is followed by the
   * next. An exception the provider's config ignores ({@code ignoreExceptions}, for example a bad
   * request) is the caller's fault, not the provider's: it propagates at once and no other provider
   * is tried. A provider listed more than once is tried once, at its first position.
   *
   * @param call the call, given the provider name
   * @param providers the providers in order of preference, at least one
   * @param <T> the result type
   * @return the first successful result
   * @throws AllProvidersFailedException if every provider failed or was refused; it lists each
   *     provider's state and cause
   * @throws IllegalArgumentException if no provider is given
   * @throws RuntimeException the exception of a call that the provider's config ignores, as thrown
   */
  public <T> T failover(Function<? super String, ? extends T> call, String... providers) {
    Objects.requireNonNull(call, "call");
    if (providers.length == 0) {
      throw new IllegalArgumentException("failover needs at least one provider, got none");
    }
    List<AllProvidersFailedException.Attempt> attempts = new ArrayList<>(providers.length);
    for (int i = 0; i < providers.length; i++) {
      String provider = providers[i];
      if (listedBefore(providers, i)) {
        continue;
      }
      ProviderBreaker breaker = table.breaker(provider);
      try {
        return breaker.call(() -> call.apply(provider));
      } catch (RuntimeException e) {
        if (breaker.ignores(e)) {
          throw e;
        }
        attempts.add(
            new AllProvidersFailedException.Attempt(
                provider, breaker.circuitBreaker.getState(), e));
        LOG.debug("breaker '{}': provider '{}' failed over", name, provider, e);
      }
    }
    throw new AllProvidersFailedException(name, attempts);
  }

  private static boolean listedBefore(String[] providers, int i) {
    for (int k = 0; k < i; k++) {
      if (providers[k].equals(providers[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns a provider's breaker state, creating the breaker if it is new.
   *
   * @param provider the provider name
   * @return the state
   * @throws IllegalStateException if the provider would exceed {@link Builder#maxProviders}
   */
  public CircuitBreaker.State state(String provider) {
    return table.breaker(provider).circuitBreaker.getState();
  }

  /**
   * Returns the Resilience4j breaker of a provider, for what this class does not wrap (forcing a
   * state, reading its sliding-window metrics). Transitions made on it are counted like any other.
   *
   * @param provider the provider name
   * @return the breaker
   * @throws IllegalStateException if the provider would exceed {@link Builder#maxProviders}
   */
  public CircuitBreaker circuitBreaker(String provider) {
    return table.breaker(provider).circuitBreaker;
  }

  /**
   * Returns the providers that have a breaker now.
   *
   * @return an immutable snapshot of the provider names
   */
  public Set<String> providers() {
    return table.providers();
  }

  /**
   * Removes every meter this instance registered (its own and Resilience4j's) and stops the timeout
   * thread pool. Calls after closing throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    table.close();
  }

  @Override
  public String toString() {
    return "ProviderBreakers[" + name + ", providers=" + table.providers() + "]";
  }

  /**
   * Builds a {@link ProviderBreakers}. Each setting may be given once; values are checked at once
   * and cross-setting rules in {@link #build()}.
   */
  public static final class Builder {
    private final String name;
    @Nullable private MeterRegistry registry;
    @Nullable private CircuitBreakerConfig defaultConfig;
    private final Map<String, CircuitBreakerConfig> overrides = new java.util.LinkedHashMap<>();
    @Nullable private Duration timeout;
    private final Map<String, Duration> timeouts = new java.util.LinkedHashMap<>();
    private int maxProviders;
    private int maxTimeoutThreads;
    @Nullable private Ticker ticker;
    private boolean resilience4jMeters = true;
    private boolean resilience4jMetersSet;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the registry for all meters; default {@link
     * io.micrometer.core.instrument.Metrics#globalRegistry}.
     *
     * @param registry the registry
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder meterRegistry(MeterRegistry registry) {
      requireUnset(this.registry, "meterRegistry");
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the Resilience4j config of every provider without an override; default {@link
     * CircuitBreakerConfig#ofDefaults()}. Its clock is replaced when a {@link #ticker} is set.
     *
     * @param config the config (count- or time-based window, thresholds, waits, exceptions)
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder defaultConfig(CircuitBreakerConfig config) {
      requireUnset(this.defaultConfig, "defaultConfig");
      this.defaultConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Gives one provider its own Resilience4j config (derive it with {@code
     * CircuitBreakerConfig.from(defaults)}); the provider's breaker is created by {@link #build()}.
     *
     * @param provider the provider name
     * @param config its config
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if that provider already has an override
     */
    public Builder provider(String provider, CircuitBreakerConfig config) {
      ProviderTable.checkName("provider", provider);
      Objects.requireNonNull(config, "config");
      if (overrides.putIfAbsent(provider, config) != null) {
        throw new IllegalStateException("provider '" + provider + "' already has a config");
      }
      return this;
    }

    /**
     * Sets the per-call timeout of every provider without its own; default none. With a timeout,
     * {@link ProviderBreakers#call} runs the supplier on an internal thread pool.
     *
     * @param timeout the timeout, 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder timeout(Duration timeout) {
      requireUnset(this.timeout, "timeout");
      this.timeout = checkTimeout(timeout);
      return this;
    }

    /**
     * Sets one provider's per-call timeout.
     *
     * @param provider the provider name
     * @param timeout the timeout, 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if the name or timeout is invalid
     * @throws IllegalStateException if that provider already has a timeout
     */
    public Builder providerTimeout(String provider, Duration timeout) {
      ProviderTable.checkName("provider", provider);
      if (timeouts.putIfAbsent(provider, checkTimeout(timeout)) != null) {
        throw new IllegalStateException("provider '" + provider + "' already has a timeout");
      }
      return this;
    }

    /**
     * Sets the most providers this instance will keep a breaker (and meters) for; default {@value
     * #DEFAULT_MAX_PROVIDERS}. A call naming one more is refused with {@link
     * IllegalStateException}.
     *
     * @param maxProviders 1 to {@value #MAX_PROVIDERS_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxProviders(int maxProviders) {
      if (this.maxProviders != 0) {
        throw new IllegalStateException("maxProviders was already set to " + this.maxProviders);
      }
      if (maxProviders < 1 || maxProviders > MAX_PROVIDERS_LIMIT) {
        throw new IllegalArgumentException(
            "maxProviders must be 1 to " + MAX_PROVIDERS_LIMIT + ", got " + maxProviders);
      }
      this.maxProviders = maxProviders;
      return this;
    }

    /**
     * Sets the most threads that run timed calls at once (only used with a {@link #timeout} or
     * {@link #providerTimeout}); default {@value #DEFAULT_MAX_TIMEOUT_THREADS}. A timed-out call's
     * thread is interrupted, but a supplier that ignores interrupts keeps its thread; when all are
     * busy, further timed calls fail at once with {@link
     * java.util.concurrent.RejectedExecutionException}, counted as a failure of the provider, so a
     * hanging provider trips its breaker instead of piling up threads.
     *
     * @param maxThreads 1 to {@value #MAX_TIMEOUT_THREADS_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxTimeoutThreads(int maxThreads) {
      if (this.maxTimeoutThreads != 0) {
        throw new IllegalStateException(
            "maxTimeoutThreads was already set to " + this.maxTimeoutThreads);
      }
      if (maxThreads < 1 || maxThreads > MAX_TIMEOUT_THREADS_LIMIT) {
        throw new IllegalArgumentException(
            "maxTimeoutThreads must be 1 to " + MAX_TIMEOUT_THREADS_LIMIT + ", got " + maxThreads);
      }
      this.maxTimeoutThreads = maxThreads;
      return this;
    }

    /**
     * Sets the time source for call durations, the recovery duration, the trip-rate window and
     * Resilience4j's wait in OPEN; default {@link Ticker#system()}. (Resilience4j's automatic OPEN
     * to HALF_OPEN transition runs on its own scheduler in real time.)
     *
     * @param ticker the ticker
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ticker(Ticker ticker) {
      requireUnset(this.ticker, "ticker");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Whether to bind Resilience4j's own {@code resilience4j.circuitbreaker.*} meters through
     * {@code TaggedCircuitBreakerMetrics}; default true. Turning them off drops their meters and
     * their per-call Micrometer timer, but not Resilience4j's per-call event object: the chimera
     * meters subscribe to state transitions, and Resilience4j builds an event for every call once a
     * breaker has any subscriber.
     *
     * @param enabled true to bind them
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder resilience4jMeters(boolean enabled) {
      if (resilience4jMetersSet) {
        throw new IllegalStateException("resilience4jMeters was already set");
      }
      resilience4jMetersSet = true;
      this.resilience4jMeters = enabled;
      return this;
    }

    /**
     * Builds the breakers and registers the meters.
     *
     * @return the breakers
     * @throws IllegalStateException if more providers are configured than {@link #maxProviders}
     */
    public ProviderBreakers build() {
      int max = maxProviders == 0 ? DEFAULT_MAX_PROVIDERS : maxProviders;
      Set<String> named = new java.util.HashSet<>(overrides.keySet());
      named.addAll(timeouts.keySet());
      if (named.size() > max) {
        throw new IllegalStateException(
            named.size() + " providers are configured but maxProviders is " + max);
      }
      MeterRegistry meterRegistry =
          registry == null ? io.micrometer.core.instrument.Metrics.globalRegistry : registry;
      return new ProviderBreakers(this, meterRegistry);
    }

    private static void requireUnset(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " was already set to " + current);
      }
    }

    private static Duration checkTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0
          || timeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("timeout must be 1 ms to 1 hour, got " + timeout);
      }
      return timeout;
    }
  }
}
