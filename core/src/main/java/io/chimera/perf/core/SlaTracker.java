package io.chimera.perf.core;

import io.chimera.perf.core.Perf008.Api;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records the latency and outcome of every API call into {@code chimera.api.requests} (tags api,
 * outcome; a percentile histogram plus SLO buckets at every PERF-008 latency threshold) and reports
 * P50/P95/P99, throughput and error rate per API.
 *
 * <p>All meters are created up front; {@link #record} is a timer record plus a {@code LongAdder}
 * increment, with no look-up, boxing or allocation.
 *
 * <pre>{@code
 * SlaTracker sla = SlaTracker.create(registry);
 * long start = System.nanoTime();
 * boolean ok = handle(request);
 * sla.record(Perf008.Api.TRANSFORM, System.nanoTime() - start, ok);
 * SlaTracker.Snapshot s = sla.snapshot(Perf008.Api.TRANSFORM); // s.p95(), s.throughput() ...
 * }</pre>
 */
@SuppressWarnings("EnumOrdinal") // ordinal-indexed arrays: an EnumMap without the boxing
public final class SlaTracker {

  /** The window over which throughput and error rate are reported. */
  public static final Duration WINDOW = Duration.ofSeconds(60);

  private static final int APIS = Api.values().length;

  /**
   * One tracker per registry: a second one would get the first one's timers (same meter ids) but
   * not its throughput window. Weak keys, so a dropped registry takes its tracker with it.
   */
  private static final Map<MeterRegistry, SlaTracker> BY_REGISTRY = new WeakHashMap<>();

  private final Ticker ticker;

  private final Timer[] success = new Timer[APIS];
  private final Timer[] failure = new Timer[APIS];
  // series 2*i: all calls of api i; series 2*i+1: failed calls of api i
  private final RollingCounters calls;

  private SlaTracker(MeterRegistry registry, Ticker ticker) {
    this.ticker = ticker;
    Duration[] slos = Perf008.apiLatencyThresholds().toArray(Duration[]::new);
    for (Api api : Api.values()) {
      success[api.ordinal()] = timer(registry, api, MetricNames.OUTCOME_SUCCESS, slos);
      failure[api.ordinal()] = timer(registry, api, MetricNames.OUTCOME_FAILURE, slos);
    }
    calls = RollingCounters.create(APIS * 2, WINDOW, ticker);
    Gauge.builder(MetricNames.API_THROUGHPUT, this, SlaTracker::throughput)
        .description("Requests per second over the last 60 s, all APIs")
        .baseUnit("requests")
        .register(registry);
  }

  /**
   * Returns the tracker of {@code registry}, creating it (and its meters) on first use.
   *
   * @param registry where the meters go
   * @return the registry's tracker
   */
  public static SlaTracker create(MeterRegistry registry) {
    return create(registry, Ticker.system());
  }

  /**
   * Returns the tracker of {@code registry}, creating it with an explicit time source for the
   * throughput window on first use.
   *
   * @param registry where the meters go
   * @param ticker the time source
   * @return the registry's tracker
   * @throws IllegalArgumentException if the registry already has a tracker with another ticker
   */
  public static SlaTracker create(MeterRegistry registry, Ticker ticker) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(ticker, "ticker");
    synchronized (BY_REGISTRY) {
      SlaTracker existing = BY_REGISTRY.get(registry);
      if (existing != null) {
        if (existing.ticker != ticker) {
          throw new IllegalArgumentException(
              "this registry already has an SlaTracker with another ticker: use that one");
        }
        return existing;
      }
      SlaTracker tracker = new SlaTracker(registry, ticker);
      BY_REGISTRY.put(registry, tracker);
      return tracker;
    }
  }

  private static Timer timer(MeterRegistry registry, Api api, String outcome, Duration[] slos) {
    return Timer.builder(MetricNames.API_REQUESTS)
        .description("API request latency by API and outcome")
        .tag(MetricNames.TAG_API, api.tag())
        .tag(MetricNames.TAG_OUTCOME, outcome)
        .publishPercentileHistogram()
        .serviceLevelObjectives(slos)
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /**
   * Records one call.
   *
   * @param api which API
   * @param latencyNanos how long it took, in nanoseconds
   * @param succeeded whether it succeeded (a server-side failure counts against the error rate)
   */
  public void record(Api api, long latencyNanos, boolean succeeded) {
    int i = api.ordinal();
    (succeeded ? success[i] : failure[i]).record(latencyNanos, TimeUnit.NANOSECONDS);
    calls.increment(2 * i);
    if (!succeeded) {
      calls.increment(2 * i + 1);
    }
  }

  /**
   * Records one call.
   *
   * @param api which API
   * @param latency how long it took
   * @param succeeded whether it succeeded
   */
  public void record(Api api, Duration latency, boolean succeeded) {
    record(api, latency.toNanos(), succeeded);
  }

  /**
   * Returns requests per second over the last {@link #WINDOW}, all APIs together.
   *
   * @return the throughput
   */
  public double throughput() {
    double sum = 0;
    for (int i = 0; i < APIS; i++) {
      sum += calls.ratePerSecond(2 * i);
    }
    return sum;
  }

  /**
   * Returns the current figures of one API. Percentiles come from the histogram of all its calls
   * (as PromQL's {@code histogram_quantile} would compute them); throughput and error rate are over
   * the last {@link #WINDOW}.
   *
   * @param api which API
   * @return the snapshot
   */
  public Snapshot snapshot(Api api) {
    int i = api.ordinal();
    List<Timer> timers = List.of(success[i], failure[i]);
    long count = success[i].count() + failure[i].count();
    return new Snapshot(
        api,
        count,
        seconds(Histograms.quantileSeconds(timers, 0.50)),
        seconds(Histograms.quantileSeconds(timers, 0.95)),
        seconds(Histograms.quantileSeconds(timers, 0.99)),
        calls.ratePerSecond(2 * i),
        calls.ratio(2 * i + 1, 2 * i));
  }

  private static Duration seconds(double s) {
    return Double.isNaN(s) ? null : Perf008.seconds(s);
  }

  /**
   * One API's figures.
   *
   * @param api the API
   * @param count calls recorded since the tracker was created
   * @param p50 median latency, null before any call
   * @param p95 95th percentile latency, null before any call
   * @param p99 99th percentile latency, null before any call
   * @param throughput calls per second over the window
   * @param errorRate failed share of calls over the window, NaN when there were none
   */
  public record Snapshot(
      Api api,
      long count,
      Duration p50,
      Duration p95,
      Duration p99,
      double throughput,
      double errorRate) {}
}
