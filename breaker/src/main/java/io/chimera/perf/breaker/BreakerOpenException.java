package io.chimera.perf.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Optional;

/**
 * A call refused without being made because the provider's breaker does not permit calls: it is
 * {@code OPEN}, {@code FORCED_OPEN}, or {@code HALF_OPEN} with every probe permit taken.
 *
 * <p>Like Resilience4j's {@code CallNotPermittedException} it carries no stack trace, and its
 * message is formatted only when read, so refusing a call costs one small allocation.
 */
public final class BreakerOpenException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** {@link #retryAfterNanos} when the breaker will not reopen by itself (forced open). */
  static final long NEVER = -1;

  private final String breaker;
  private final String provider;
  private final CircuitBreaker.State state;
  private final long retryAfterNanos;

  BreakerOpenException(
      String breaker, String provider, CircuitBreaker.State state, long retryAfterNanos) {
    super(null, null, false, false);
    this.breaker = breaker;
    this.provider = provider;
    this.state = state;
    this.retryAfterNanos = retryAfterNanos;
  }

  /**
   * Returns the name of the {@link ProviderBreakers} that refused the call.
   *
   * @return the breaker name
   */
  public String breaker() {
    return breaker;
  }

  /**
   * Returns the provider whose breaker refused the call.
   *
   * @return the provider name
   */
  public String provider() {
    return provider;
  }

  /**
   * Returns the breaker's state when the call was refused.
   *
   * @return the state
   */
  public CircuitBreaker.State state() {
    return state;
  }

  /**
   * Returns roughly how long after the refusal the breaker lets a probe call through: the rest of
   * the wait in {@code OPEN} (zero once it has passed, or while {@code HALF_OPEN} probes run), or
   * empty when the breaker is forced open and only an operator closes it.
   *
   * @return the time until the provider is tried again, or empty if never by itself
   */
  public Optional<Duration> retryAfter() {
    return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
  }

  @Override
  public String getMessage() {
    String base = "breaker '" + breaker + "' refused a call to provider '" + provider + "': ";
    if (retryAfterNanos < 0) {
      return base + "circuit is " + state + " until closed by hand";
    }
    return base + "circuit is " + state + ", tried again in " + retryAfterNanos / 1_000_000 + " ms";
  }
}
