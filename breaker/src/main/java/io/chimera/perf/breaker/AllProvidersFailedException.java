package io.chimera.perf.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Objects;

/**
 * Every provider of a {@link ProviderBreakers#failover failover} failed or was refused by its
 * breaker. {@link #attempts()} lists each provider in the order tried with its breaker state after
 * the attempt and the cause; each cause is also attached as a suppressed exception.
 */
public final class AllProvidersFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * One provider's part of a failed failover.
   *
   * @param provider the provider name
   * @param state the provider's breaker state right after the attempt
   * @param cause why the attempt failed: a {@link BreakerOpenException} when the breaker refused
   *     the call, otherwise what the call threw
   */
  public record Attempt(String provider, CircuitBreaker.State state, Throwable cause) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if any field is null
     */
    public Attempt {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(cause, "cause");
    }
  }

  @SuppressWarnings("serial") // records are not serializable; native serialization is not used
  private final List<Attempt> attempts;

  AllProvidersFailedException(String breaker, List<Attempt> attempts) {
    super(message(breaker, attempts), null, true, true);
    this.attempts = List.copyOf(attempts);
    for (Attempt attempt : attempts) {
      addSuppressed(attempt.cause());
    }
  }

  /**
   * Returns every provider tried, in order, with its state and cause.
   *
   * @return the attempts, never empty
   */
  public List<Attempt> attempts() {
    return attempts;
  }

  private static String message(String breaker, List<Attempt> attempts) {
    StringBuilder sb =
        new StringBuilder("breaker '")
            .append(breaker)
            .append("': all ")
            .append(attempts.size())
            .append(" providers failed: ");
    for (int i = 0; i < attempts.size(); i++) {
      Attempt a = attempts.get(i);
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(a.provider())
          .append(" [")
          .append(a.state())
          .append("] ")
          .append(a.cause().getClass().getSimpleName())
          .append(": ")
          .append(a.cause().getMessage());
    }
    return sb.toString();
  }
}
