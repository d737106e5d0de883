package io.chimera.perf.breaker;

import io.chimera.perf.core.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that moves with a {@link Ticker}, so Resilience4j's wait in OPEN follows a fake
 * ticker in tests. Resilience4j reads it only to decide whether the wait in OPEN has passed.
 */
final class TickerClock extends Clock {

  private final Ticker ticker;
  private final Instant origin;
  private final long originNanos;

  TickerClock(Ticker ticker) {
    this.ticker = ticker;
    this.origin = Instant.now();
    this.originNanos = ticker.read();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a ticker clock is always UTC");
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(ticker.read() - originNanos);
  }
}
