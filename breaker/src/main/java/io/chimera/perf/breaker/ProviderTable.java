package io.chimera.perf.breaker;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.RollingCounters;
import io.chimera.perf.core.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of one {@link ProviderBreakers}: creates each provider's breaker and meters once,
 * up to the limit, and owns what must be released on close.
 */
final class ProviderTable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderBreakers.class);

  /** Window of {@link MetricNames#BREAKER_TRIP_RATE}. */
  static final Duration TRIP_RATE_WINDOW = Duration.ofMinutes(5);

  static final int MAX_NAME_LENGTH = 64;

  private final String name;
  private final CircuitBreakerConfig defaultConfig;
  private final Map<String, CircuitBreakerConfig> overrides;
  @Nullable private final Duration defaultTimeout;
  private final Map<String, Duration> timeouts;
  private final int maxProviders;
  private final Ticker ticker;
  @Nullable private final TickerClock clock;
  private final CircuitBreakerRegistry circuitBreakers;
  private final BreakerMeters meters;
  private final RollingCounters tripWindow;
  @Nullable private final ExecutorService timeoutExecutor;
  private final ConcurrentHashMap<String, ProviderBreaker> breakers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> recoveryTimers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ProviderTable(
      String name,
      @Nullable CircuitBreakerConfig defaultConfig,
      Map<String, CircuitBreakerConfig> overrides,
      @Nullable Duration defaultTimeout,
      Map<String, Duration> timeouts,
      int maxProviders,
      int maxTimeoutThreads,
      @Nullable Ticker ticker,
      boolean resilience4jMeters,
      MeterRegistry registry) {
    this.name = name;
    this.defaultConfig = defaultConfig == null ? CircuitBreakerConfig.ofDefaults() : defaultConfig;
    this.overrides = Map.copyOf(overrides);
    this.defaultTimeout = defaultTimeout;
    this.timeouts = Map.copyOf(timeouts);
    this.maxProviders = maxProviders;
    this.ticker = ticker == null ? Ticker.system() : ticker;
    this.clock = this.ticker == Ticker.system() ? null : new TickerClock(this.ticker);
    this.circuitBreakers = CircuitBreakerRegistry.of(this.defaultConfig);
    this.meters = new BreakerMeters(registry, name);
    if (resilience4jMeters) {
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(registry);
    }
    this.tripWindow = RollingCounters.create(1, TRIP_RATE_WINDOW, this.ticker);
    meters.registerTripRate(tripWindow);
    this.timeoutExecutor =
        defaultTimeout == null && this.timeouts.isEmpty()
            ? null
            : newTimeoutExecutor(name, maxTimeoutThreads);
    for (String provider : this.overrides.keySet()) {
      breaker(provider);
    }
    for (String provider : this.timeouts.keySet()) {
      breaker(provider);
    }
  }

  Set<String> providers() {
    return Set.copyOf(breakers.keySet());
  }

  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    meters.removeAll();
    for (String provider : breakers.keySet()) {
      circuitBreakers.remove(provider);
    }
    if (timeoutExecutor != null) {
      timeoutExecutor.shutdownNow();
    }
  }

  ProviderBreaker breaker(String provider) {
    ProviderBreaker breaker = provider == null ? null : breakers.get(provider);
    if (breaker != null && !closed) {
      return breaker;
    }
    return create(provider);
  }

  private synchronized ProviderBreaker create(String provider) {
    if (closed) {
      throw new IllegalStateException("breaker '" + name + "' is closed");
    }
    ProviderBreaker existing = breakers.get(checkName("provider", provider));
    if (existing != null) {
      return existing;
    }
    if (breakers.size() >= maxProviders) {
      throw new IllegalStateException(
          "breaker '"
              + name
              + "' already has "
              + breakers.size()
              + " providers, the maximum (maxProviders); refusing new provider '"
              + provider
              + "'");
    }
    CircuitBreakerConfig base = overrides.getOrDefault(provider, defaultConfig);
    CircuitBreakerConfig config =
        clock == null ? base : CircuitBreakerConfig.from(base).clock(clock).build();
    CircuitBreaker circuitBreaker =
        circuitBreakers.circuitBreaker(
            provider,
            config,
            Map.of(MetricNames.TAG_BREAKER, name, MetricNames.TAG_PROVIDER, provider));
    ProviderBreaker breaker =
        new ProviderBreaker(
            name,
            provider,
            circuitBreaker,
            ticker,
            timeouts.getOrDefault(provider, defaultTimeout),
            timeoutExecutor,
            new Listener());
    recoveryTimers.put(provider, meters.registerProvider(breaker));
    breakers.put(provider, breaker);
    return breaker;
  }

  private final class Listener implements ProviderBreaker.TransitionListener {
    @Override
    public void tripped(ProviderBreaker breaker) {
      tripWindow.increment(0);
      LOG.warn("breaker '{}': provider '{}' tripped OPEN", name, breaker.provider);
    }

    @Override
    public void recovered(ProviderBreaker breaker, long episodeNanos) {
      Timer timer = recoveryTimers.get(breaker.provider);
      if (timer != null) {
        timer.record(episodeNanos, TimeUnit.NANOSECONDS);
      }
      LOG.info(
          "breaker '{}': provider '{}' recovered after {} ms",
          name,
          breaker.provider,
          episodeNanos / 1_000_000);
    }
  }

  /**
   * A cached pool of at most {@code maxThreads}: idle threads linger 30 s; with every thread busy
   * (hung calls that ignore interrupts included) a submit is rejected at once rather than queued or
   * given one more thread.
   */
  private static ExecutorService newTimeoutExecutor(String name, int maxThreads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        maxThreads,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "chimera-breaker-" + name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  static String checkName(String what, @Nullable String value) {
    if (value == null) {
      throw new NullPointerException(what + " must not be null");
    }
    if (value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what + " must be 1 to " + MAX_NAME_LENGTH + " characters, got '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        throw new IllegalArgumentException(
            what + " may only use [A-Za-z0-9._:-], got '" + value + "'");
      }
    }
    return value;
  }
}
