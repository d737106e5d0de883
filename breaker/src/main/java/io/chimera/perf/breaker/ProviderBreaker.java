package io.chimera.perf.breaker;

import io.chimera.perf.core.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One provider's Resilience4j breaker plus the counters behind its chimera meters.
 *
 * <p>The call path does what Resilience4j's own {@code decorateSupplier} does (permission, time,
 * {@code onResult}/{@code onError}) and adds two {@link LongAdder} increments; it reads time from
 * the injectable {@link Ticker}. Trips, recoveries and the recovery duration are counted from
 * state-transition events only, which happen a handful of times per incident.
 */
final class ProviderBreaker {

  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int SLOW = 2;
  static final int NOT_PERMITTED = 3;
  static final int IGNORED = 4;
  static final int OUTCOMES = 5;

  private static final long NO_EPISODE = Long.MIN_VALUE;
  private static final Object TIMED_OUT = new Object();

  final String breakerName;
  final String provider;
  final CircuitBreaker circuitBreaker;
  private final Ticker ticker;
  private final long slowNanos;
  private final Predicate<Object> recordResult;
  private final Predicate<Throwable> ignoreException;
  private final Predicate<Throwable> recordException;
  private final IntervalFunction waitInOpen;
  private final long timeoutNanos;
  @Nullable private final Duration timeout;
  @Nullable private final ExecutorService timeoutExecutor;
  private final TransitionListener listener;

  private final LongAdder[] calls = new LongAdder[OUTCOMES];
  private final LongAdder[] callNanos = new LongAdder[OUTCOMES];
  final LongAdder trips = new LongAdder();
  final LongAdder recoveries = new LongAdder();

  // Guarded by this: the current OPEN..CLOSED episode.
  private long episodeStart = NO_EPISODE;
  private int tripsInEpisode;
  private volatile long retryAtNanos;

  /** Receives what the transition handler counts, so ProviderBreakers can feed its windows. */
  interface TransitionListener {
    void tripped(ProviderBreaker breaker);

    void recovered(ProviderBreaker breaker, long episodeNanos);
  }

  ProviderBreaker(
      String breakerName,
      String provider,
      CircuitBreaker circuitBreaker,
      Ticker ticker,
      @Nullable Duration timeout,
      @Nullable ExecutorService timeoutExecutor,
      TransitionListener listener) {
    this.breakerName = breakerName;
    this.provider = provider;
    this.circuitBreaker = circuitBreaker;
    this.ticker = ticker;
    CircuitBreakerConfig config = circuitBreaker.getCircuitBreakerConfig();
    this.slowNanos = config.getSlowCallDurationThreshold().toNanos();
    this.recordResult = config.getRecordResultPredicate();
    this.ignoreException = config.getIgnoreExceptionPredicate();
    this.recordException = config.getRecordExceptionPredicate();
    this.waitInOpen = config.getWaitIntervalFunctionInOpenState();
    this.timeout = timeout;
    this.timeoutNanos = timeout == null ? 0 : timeout.toNanos();
    this.timeoutExecutor = timeoutExecutor;
    this.listener = listener;
    for (int i = 0; i < OUTCOMES; i++) {
      calls[i] = new LongAdder();
      callNanos[i] = new LongAdder();
    }
    circuitBreaker.getEventPublisher().onStateTransition(e -> onTransition(e.getStateTransition()));
  }

  // ---- calls ---------------------------------------------------------------------------------

  <T> T call(Supplier<T> supplier) {
    if (!circuitBreaker.tryAcquirePermission()) {
      throw refused();
    }
    long start = ticker.read();
    T result;
    try {
      result = timeoutNanos > 0 ? callWithTimeout(supplier) : supplier.get();
    } catch (Throwable t) {
      failed(ticker.read() - start, t);
      throw t;
    }
    succeeded(ticker.read() - start, result);
    return result;
  }

  <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
    if (!circuitBreaker.tryAcquirePermission()) {
      return CompletableFuture.failedFuture(refused());
    }
    long start = ticker.read();
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
      if (stage == null) {
        throw new NullPointerException("provider '" + provider + "' returned a null stage");
      }
    } catch (Throwable t) {
      failed(ticker.read() - start, t);
      return CompletableFuture.failedFuture(t);
    }
    CompletableFuture<Object> inner = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            inner.completeExceptionally(error);
          } else {
            inner.complete(value);
          }
        });
    CompletableFuture<Object> timed =
        timeoutNanos > 0
            ? inner.completeOnTimeout(TIMED_OUT, timeoutNanos, TimeUnit.NANOSECONDS)
            : inner;
    return timed.handle((value, error) -> finishAsync(start, stage, value, error));
  }

  @SuppressWarnings("unchecked") // inner only ever holds the stage's T or the TIMED_OUT marker
  private <T> T finishAsync(
      long start, CompletionStage<T> stage, @Nullable Object value, @Nullable Throwable error) {
    long nanos = ticker.read() - start;
    if (error != null) {
      failed(nanos, error);
      throw error instanceof CompletionException ce ? ce : new CompletionException(error);
    }
    if (value == TIMED_OUT) {
      ProviderTimeoutException timedOut = timedOut();
      failed(nanos, timedOut);
      cancel(stage);
      throw new CompletionException(timedOut);
    }
    succeeded(nanos, value);
    return (T) value;
  }

  private <T> T callWithTimeout(Supplier<T> supplier) {
    ExecutorService executor = timeoutExecutor;
    if (executor == null) {
      throw new IllegalStateException("no timeout executor for provider '" + provider + "'");
    }
    Future<T> future;
    try {
      future = executor.submit(supplier::get);
    } catch (RejectedExecutionException e) {
      if (executor.isShutdown()) {
        throw new IllegalStateException("breaker '" + breakerName + "' is closed", e);
      }
      throw new RejectedExecutionException(
          "breaker '"
              + breakerName
              + "': provider '"
              + provider
              + "' not called: all "
              + maxTimeoutThreads(executor)
              + " timeout threads are busy (maxTimeoutThreads); earlier calls that ignore"
              + " interrupts may still be hanging",
          e);
    }
    try {
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CompletionException(cause);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      CancellationException cancelled =
          new CancellationException("interrupted while calling provider '" + provider + "'");
      cancelled.initCause(e);
      throw cancelled;
    }
  }

  private static int maxTimeoutThreads(ExecutorService executor) {
    return executor instanceof ThreadPoolExecutor pool ? pool.getMaximumPoolSize() : -1;
  }

  private ProviderTimeoutException timedOut() {
    Duration limit = timeout == null ? Duration.ZERO : timeout;
    return new ProviderTimeoutException(breakerName, provider, limit);
  }

  private static void cancel(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().cancel(true);
    } catch (UnsupportedOperationException e) {
      // a minimal stage cannot be cancelled; it finishes on its own
    }
  }

  BreakerOpenException refused() {
    calls[NOT_PERMITTED].increment();
    State state = circuitBreaker.getState();
    long retryAfter;
    if (state == State.FORCED_OPEN) {
      retryAfter = BreakerOpenException.NEVER;
    } else if (state == State.OPEN) {
      retryAfter = Math.max(0, retryAtNanos - ticker.read());
    } else {
      retryAfter = 0;
    }
    return new BreakerOpenException(breakerName, provider, state, retryAfter);
  }

  private void succeeded(long nanos, @Nullable Object result) {
    circuitBreaker.onResult(nanos, TimeUnit.NANOSECONDS, result);
    int outcome;
    if (result != null && recordResult.test(result)) {
      outcome = FAILURE;
    } else if (nanos > slowNanos) {
      outcome = SLOW;
    } else {
      outcome = SUCCESS;
    }
    calls[outcome].increment();
    callNanos[outcome].add(nanos);
  }

  /**
   * Records a call that threw. The outcome follows Resilience4j's own reading of the exception: one
   * the config ignores is {@code ignored} (neither success nor failure to the breaker), one it does
   * not record is a success (or slow), anything else a failure.
   */
  private void failed(long nanos, Throwable error) {
    circuitBreaker.onError(nanos, TimeUnit.NANOSECONDS, error);
    Throwable cause = unwrap(error);
    int outcome;
    if (ignoreException.test(cause)) {
      outcome = IGNORED;
    } else if (recordException.test(cause)) {
      outcome = FAILURE;
    } else {
      outcome = nanos > slowNanos ? SLOW : SUCCESS;
    }
    calls[outcome].increment();
    callNanos[outcome].add(nanos);
  }

  /** Whether this provider's config ignores {@code error}: a caller's fault, not the provider's. */
  boolean ignores(Throwable error) {
    return ignoreException.test(unwrap(error));
  }

  /**
   * The exception Resilience4j judges: the cause of a CompletionException or ExecutionException.
   */
  private static Throwable unwrap(Throwable error) {
    if ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      return error.getCause();
    }
    return error;
  }

  // ---- read side -----------------------------------------------------------------------------

  long calls(int outcome) {
    return calls[outcome].sum();
  }

  double callSeconds(int outcome) {
    return callNanos[outcome].sum() / 1e9;
  }

  // ---- transitions ---------------------------------------------------------------------------

  /**
   * Counts a transition. Every transition into OPEN is a trip, whether from CLOSED or HALF_OPEN;
   * FORCED_OPEN is an operator's act and is not. A recovery episode starts at the first trip and
   * ends at the next CLOSED; DISABLED and METRICS_ONLY abandon it uncounted.
   */
  private synchronized void onTransition(CircuitBreaker.StateTransition transition) {
    State to = transition.getToState();
    long now = ticker.read();
    if (to == State.OPEN) {
      trips.increment();
      if (episodeStart == NO_EPISODE) {
        episodeStart = now;
        tripsInEpisode = 0;
      }
      tripsInEpisode++;
      long waitMillis = waitInOpen.apply(tripsInEpisode);
      retryAtNanos = now + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      listener.tripped(this);
    } else if (to == State.CLOSED) {
      if (episodeStart != NO_EPISODE) {
        long episode = now - episodeStart;
        episodeStart = NO_EPISODE;
        recoveries.increment();
        listener.recovered(this, episode);
      }
    } else if (to == State.DISABLED || to == State.METRICS_ONLY) {
      episodeStart = NO_EPISODE;
    }
  }
}
