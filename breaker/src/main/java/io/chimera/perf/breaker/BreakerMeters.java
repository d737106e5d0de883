package io.chimera.perf.breaker;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.RollingCounters;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Registers the chimera breaker meters. Everything but the recovery timer is read at scrape time
 * from the breaker's own counters, so registering adds nothing to the call path.
 */
final class BreakerMeters {

  private static final String[] OUTCOME_TAGS = {
    MetricNames.OUTCOME_SUCCESS,
    MetricNames.OUTCOME_FAILURE,
    MetricNames.OUTCOME_SLOW,
    MetricNames.OUTCOME_NOT_PERMITTED,
    MetricNames.OUTCOME_IGNORED
  };

  private final MeterRegistry registry;
  private final String breakerName;
  private final List<Meter.Id> ids = new CopyOnWriteArrayList<>();

  BreakerMeters(MeterRegistry registry, String breakerName) {
    this.registry = registry;
    this.breakerName = breakerName;
  }

  /** The trip-rate gauge of the whole {@link ProviderBreakers}; series 0 of the window is trips. */
  void registerTripRate(RollingCounters tripWindow) {
    ids.add(
        Gauge.builder(MetricNames.BREAKER_TRIP_RATE, tripWindow, w -> w.ratePerSecond(0))
            .description("Breaker trips per second over the last 5 minutes, all providers")
            .tag(MetricNames.TAG_BREAKER, breakerName)
            .register(registry)
            .getId());
  }

  /** Registers one provider's meters and returns its recovery timer. */
  Timer registerProvider(ProviderBreaker b) {
    String provider = b.provider;
    ids.add(
        FunctionCounter.builder(MetricNames.BREAKER_TRIPS, b, x -> x.trips.sum())
            .description("Transitions into OPEN, including HALF_OPEN to OPEN")
            .tag(MetricNames.TAG_BREAKER, breakerName)
            .tag(MetricNames.TAG_PROVIDER, provider)
            .register(registry)
            .getId());
    ids.add(
        FunctionCounter.builder(MetricNames.BREAKER_RECOVERIES, b, x -> x.recoveries.sum())
            .description("Returns to CLOSED after a trip")
            .tag(MetricNames.TAG_BREAKER, breakerName)
            .tag(MetricNames.TAG_PROVIDER, provider)
            .register(registry)
            .getId());
    for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
      ids.add(
          Gauge.builder(
                  MetricNames.BREAKER_STATE, b.circuitBreaker, cb -> cb.getState() == state ? 1 : 0)
              .description("1 for the breaker's current state, 0 for the others")
              .tag(MetricNames.TAG_BREAKER, breakerName)
              .tag(MetricNames.TAG_PROVIDER, provider)
              .tag(MetricNames.TAG_STATE, state.name().toLowerCase(Locale.ROOT))
              .register(registry)
              .getId());
    }
    for (int outcome = 0; outcome < ProviderBreaker.OUTCOMES; outcome++) {
      int o = outcome;
      ids.add(
          FunctionTimer.builder(
                  MetricNames.BREAKER_CALLS,
                  b,
                  x -> x.calls(o),
                  x -> x.callSeconds(o),
                  TimeUnit.SECONDS)
              .description("Calls through the breaker by outcome")
              .tag(MetricNames.TAG_BREAKER, breakerName)
              .tag(MetricNames.TAG_PROVIDER, provider)
              .tag(MetricNames.TAG_OUTCOME, OUTCOME_TAGS[o])
              .register(registry)
              .getId());
    }
    Timer recovery =
        Timer.builder(MetricNames.BREAKER_RECOVERY_DURATION)
            .description("Time from the first trip to CLOSED again")
            .tag(MetricNames.TAG_BREAKER, breakerName)
            .tag(MetricNames.TAG_PROVIDER, provider)
            .register(registry);
    ids.add(recovery.getId());
    return recovery;
  }

  /** Removes every meter registered here. */
  void removeAll() {
    for (Meter.Id id : ids) {
      registry.remove(id);
    }
    ids.clear();
  }
}
