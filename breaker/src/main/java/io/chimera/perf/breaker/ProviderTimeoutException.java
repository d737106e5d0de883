package io.chimera.perf.breaker;

import java.time.Duration;

/**
 * A provider call that did not finish within its per-call timeout. The breaker records it as a
 * failure, and the call is cancelled (its thread interrupted, or its future cancelled).
 */
public final class ProviderTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String provider;
  private final transient Duration timeout;

  ProviderTimeoutException(String breaker, String provider, Duration timeout) {
    super(
        "breaker '"
            + breaker
            + "': provider '"
            + provider
            + "' did not answer within "
            + timeout.toMillis()
            + " ms");
    this.provider = provider;
    this.timeout = timeout;
  }

  /**
   * Returns the provider that timed out.
   *
   * @return the provider name
   */
  public String provider() {
    return provider;
  }

  /**
   * Returns the timeout that was exceeded.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
