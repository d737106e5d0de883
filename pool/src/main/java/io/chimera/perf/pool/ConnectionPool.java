package io.chimera.perf.pool;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A generic connection pool (provider HTTP clients, sockets, Redis connections) with
 * stale-connection detection and the PERF-008 pool meters.
 *
 * <p>Acquire and release take no lock and allocate nothing when a connection is idle: each thread
 * first tries the connection it returned last, then claims any idle one by CAS; callers that must
 * wait line up first-come first-served and are handed connections directly as they come back or are
 * created. The pool never holds more than {@code maxSize} connections. A background housekeeper
 * keeps {@code minIdle} connections, retires idle-timeout and max-lifetime connections (never one
 * in use), validates idle ones on the keepalive interval and reports leases held longer than the
 * leak-detection threshold. Failed creations back off (10 ms doubling up to {@code
 * maxCreationBackoff}, one attempt at a time) and are named in the next timeout.
 *
 * <pre>{@code
 * try (ConnectionPool<Socket> pool =
 *     ConnectionPool.builder("redis-main", sockets)
 *         .provider("redis")
 *         .maxSize(16)
 *         .minIdle(2)
 *         .acquireTimeout(Duration.ofMillis(500))
 *         .maxLifetime(Duration.ofMinutes(30), Duration.ofMinutes(1))
 *         .meterRegistry(registry)
 *         .build()) {
 *   try (ConnectionLease<Socket> lease = pool.acquire()) {
 *     use(lease.get());
 *   }
 * }
 * }</pre>
 *
 * @param <C> the connection type
 */
public final class ConnectionPool<C> implements AutoCloseable {
  private final PoolEngine<C> engine;
  private final long acquireTimeoutNanos;

  private ConnectionPool(Builder<C> b) {
    this.engine = new PoolEngine<>(b, b.factory);
    this.acquireTimeoutNanos = b.acquireTimeoutNanos;
  }

  /**
   * Starts a builder.
   *
   * @param name the pool name, the {@code pool} tag of its meters; 1 to 64 characters
   * @param factory creates, validates and closes connections
   * @param <C> the connection type
   * @return a builder with the defaults documented on each setter
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank or longer than 64 characters
   */
  public static <C> Builder<C> builder(String name, ConnectionFactory<C> factory) {
    return new Builder<>(name, factory);
  }

  /**
   * Borrows a connection, waiting up to the configured acquire timeout.
   *
   * @return a lease; close it to give the connection back
   * @throws ConnectionPoolTimeoutException if none became available in time
   * @throws IllegalStateException if the pool is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public ConnectionLease<C> acquire() throws InterruptedException {
    return engine.acquire(acquireTimeoutNanos);
  }

  /**
   * Borrows a connection, waiting up to {@code timeout}.
   *
   * @param timeout how long to wait; zero means do not wait
   * @return a lease; close it to give the connection back
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws ConnectionPoolTimeoutException if none became available in time
   * @throws IllegalStateException if the pool is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public ConnectionLease<C> acquire(Duration timeout) throws InterruptedException {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
    }
    return engine.acquire(Builder.saturatedNanos(timeout));
  }

  /**
   * The pool name.
   *
   * @return the name given to the builder
   */
  public String name() {
    return engine.name();
  }

  /**
   * Connections lent out now.
   *
   * @return the count
   */
  public int activeConnections() {
    return engine.activeConnections();
  }

  /**
   * Connections waiting in the pool now.
   *
   * @return the count
   */
  public int idleConnections() {
    return engine.idleConnections();
  }

  /**
   * Callers waiting for a connection now.
   *
   * @return the count
   */
  public int pendingAcquires() {
    return engine.pendingAcquires();
  }

  /**
   * Retires idle connections at once, makes waiting callers fail, waits up to the close timeout for
   * leased connections (each is retired as it comes back, also after the wait), stops the
   * housekeeper and removes the meters. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  PoolEngine<C> engine() {
    return engine;
  }

  @Override
  public String toString() {
    return "ConnectionPool[" + engine.name() + "]";
  }

  /**
   * Configures a {@link ConnectionPool}. Setters validate at once; {@link #build()} checks the
   * rules between settings.
   *
   * @param <C> the connection type
   */
  public static final class Builder<C> {
    private static final Set<String> RESERVED_TAGS =
        Set.of(
            MetricNames.TAG_POOL,
            MetricNames.TAG_PROVIDER,
            MetricNames.TAG_STATE,
            MetricNames.TAG_OUTCOME,
            MetricNames.TAG_REASON);

    final String name;
    final ConnectionFactory<C> factory;
    String provider = "default";
    Tags tags = Tags.empty();
    MeterRegistry registry = new CompositeMeterRegistry();
    Ticker ticker = Ticker.system();
    int minIdle;
    int maxSize = 10;
    int creationThreads = 2;
    long acquireTimeoutNanos = Duration.ofSeconds(5).toNanos();
    long idleTimeoutNanos = Duration.ofMinutes(10).toNanos();
    long maxLifetimeNanos = Duration.ofMinutes(30).toNanos();
    long lifetimeJitterNanos = Duration.ofSeconds(30).toNanos();
    long validateAfterIdleNanos = Duration.ofMillis(500).toNanos();
    long validationTimeoutNanos = Duration.ofSeconds(1).toNanos();
    long keepaliveNanos = Duration.ofSeconds(30).toNanos();
    long leakThresholdNanos;
    long staleAfterNanos = Duration.ofMinutes(1).toNanos();
    long housekeepingNanos = Duration.ofSeconds(1).toNanos();
    long closeTimeoutNanos = Duration.ofSeconds(5).toNanos();
    long maxBackoffNanos = Duration.ofSeconds(1).toNanos();
    boolean acquireHistogram;

    private Builder(String name, ConnectionFactory<C> factory) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.length() > 64) {
        throw new IllegalArgumentException(
            "name must be 1 to 64 non-blank characters, was '" + name + "'");
      }
      this.name = name;
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The {@code provider} tag of the pool's meters (default {@code default}).
     *
     * @param provider a non-blank value
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder<C> provider(String provider) {
      if (provider.isBlank()) {
        throw new IllegalArgumentException("provider must not be blank");
      }
      this.provider = provider;
      return this;
    }

    /**
     * An extra tag on every meter. Every pool on one registry must use the same extra keys.
     *
     * @param key tag key, not one of pool, provider, state, outcome, reason
     * @param value tag value
     * @return this builder
     * @throws IllegalArgumentException if the key is reserved or either is blank
     */
    public Builder<C> tag(String key, String value) {
      if (key.isBlank() || value.isBlank() || RESERVED_TAGS.contains(key)) {
        throw new IllegalArgumentException(
            "tag '" + key + "'='" + value + "' is blank or uses a reserved key " + RESERVED_TAGS);
      }
      this.tags = tags.and(key, value);
      return this;
    }

    /**
     * Where the meters go (default: nowhere).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder<C> meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The time source (default {@link Ticker#system()}); tests pass a fake one.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder<C> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Connections kept open even when idle (default 0).
     *
     * @param minIdle 0 to 10,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<C> minIdle(int minIdle) {
      this.minIdle = checkRange("minIdle", minIdle, 0, 10_000);
      return this;
    }

    /**
     * The most connections the pool ever holds, lent and idle together (default 10).
     *
     * @param maxSize 1 to 10,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<C> maxSize(int maxSize) {
      this.maxSize = checkRange("maxSize", maxSize, 1, 10_000);
      return this;
    }

    /**
     * Background threads that open (and close) connections in parallel (default 2).
     *
     * @param threads 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder<C> creationThreads(int threads) {
      this.creationThreads = checkRange("creationThreads", threads, 1, 64);
      return this;
    }

    /**
     * How long {@link ConnectionPool#acquire()} waits (default 5 s).
     *
     * @param timeout more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder<C> acquireTimeout(Duration timeout) {
      this.acquireTimeoutNanos = positive("acquireTimeout", timeout);
      return this;
    }

    /**
     * Idle connections above {@code minIdle} are retired after this long unused (default 10 min;
     * zero: never).
     *
     * @param timeout zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<C> idleTimeout(Duration timeout) {
      this.idleTimeoutNanos = notNegative("idleTimeout", timeout);
      return this;
    }

    /**
     * Connections are retired after {@code lifetime} minus a random share of {@code jitter}, so
     * they do not all expire at once (default 30 min and 30 s; zero lifetime: never).
     *
     * @param lifetime zero or more
     * @param jitter zero or more, less than {@code lifetime} unless that is zero
     * @return this builder
     * @throws IllegalArgumentException if negative, or the jitter is not below the lifetime
     */
    public Builder<C> maxLifetime(Duration lifetime, Duration jitter) {
      long l = notNegative("maxLifetime", lifetime);
      long j = notNegative("lifetime jitter", jitter);
      if (l > 0 && j >= l) {
        throw new IllegalArgumentException(
            "lifetime jitter must be less than maxLifetime " + lifetime + ", was " + jitter);
      }
      this.maxLifetimeNanos = l;
      this.lifetimeJitterNanos = l == 0 ? 0 : j;
      return this;
    }

    /**
     * A connection idle (unchecked) longer than this is validated before it is lent (default 500
     * ms; zero: on every borrow).
     *
     * @param idle zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<C> validateAfterIdle(Duration idle) {
      this.validateAfterIdleNanos = notNegative("validateAfterIdle", idle);
      return this;
    }

    /**
     * The timeout passed to {@link ConnectionFactory#validate} (default 1 s).
     *
     * @param timeout more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder<C> validationTimeout(Duration timeout) {
      this.validationTimeoutNanos = positive("validationTimeout", timeout);
      return this;
    }

    /**
     * Idle connections unchecked this long are validated by the housekeeper (default 30 s; zero:
     * never).
     *
     * @param interval zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<C> keepaliveInterval(Duration interval) {
      this.keepaliveNanos = notNegative("keepaliveInterval", interval);
      return this;
    }

    /**
     * A lease held longer than this is logged as a possible leak (default zero: off).
     *
     * @param threshold zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<C> leakDetectionThreshold(Duration threshold) {
      this.leakThresholdNanos = notNegative("leakDetectionThreshold", threshold);
      return this;
    }

    /**
     * Idle connections unused longer than this count as stale on {@code
     * chimera.pool.connections.stale} (default 1 min).
     *
     * @param idle more than zero
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder<C> staleAfter(Duration idle) {
      this.staleAfterNanos = positive("staleAfter", idle);
      return this;
    }

    /**
     * How often the housekeeper runs (default 1 s).
     *
     * @param interval 1 ms or more
     * @return this builder
     * @throws IllegalArgumentException if less than 1 ms
     */
    public Builder<C> housekeepingInterval(Duration interval) {
      long n = positive("housekeepingInterval", interval);
      if (n < 1_000_000) {
        throw new IllegalArgumentException("housekeepingInterval must be >= 1ms, was " + interval);
      }
      this.housekeepingNanos = n;
      return this;
    }

    /**
     * How long {@link ConnectionPool#close()} waits for leased connections (default 5 s).
     *
     * @param timeout zero or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder<C> closeTimeout(Duration timeout) {
      this.closeTimeoutNanos = notNegative("closeTimeout", timeout);
      return this;
    }

    /**
     * The longest pause between failed creation attempts (default 1 s; the pause starts at 10 ms
     * and doubles).
     *
     * @param backoff 10 ms or more
     * @return this builder
     * @throws IllegalArgumentException if less than 10 ms
     */
    public Builder<C> maxCreationBackoff(Duration backoff) {
      long n = positive("maxCreationBackoff", backoff);
      if (n < 10_000_000) {
        throw new IllegalArgumentException("maxCreationBackoff must be >= 10ms, was " + backoff);
      }
      this.maxBackoffNanos = n;
      return this;
    }

    /**
     * Publishes {@code chimera.pool.acquire} with a percentile histogram (the technical dashboard's
     * "Acquire wait" panel takes its P95 from the buckets); default off, when the meter has a count
     * and a total wait (so a mean and a failure rate) only. A histogram costs each acquire a few
     * hundred nanoseconds at two threads (every record of a fast pool lands in the same bucket of
     * one shared array), more than an acquire from an idle connection costs.
     *
     * @param publish whether to publish the histogram
     * @return this builder
     */
    public Builder<C> acquireHistogram(boolean publish) {
      this.acquireHistogram = publish;
      return this;
    }

    /**
     * Builds and starts the pool (its housekeeper, and the first {@code minIdle} connections in the
     * background).
     *
     * @return the pool
     * @throws IllegalArgumentException if {@code minIdle} exceeds {@code maxSize}
     */
    public ConnectionPool<C> build() {
      if (minIdle > maxSize) {
        throw new IllegalArgumentException(
            "minIdle " + minIdle + " must not exceed maxSize " + maxSize);
      }
      return new ConnectionPool<>(this);
    }

    private static int checkRange(String what, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            what + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }

    private static long positive(String what, Duration d) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be > 0, was " + d);
      }
      return saturatedNanos(d);
    }

    private static long notNegative(String what, Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must be >= 0, was " + d);
      }
      return saturatedNanos(d);
    }

    static long saturatedNanos(Duration d) {
      return d.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : d.toNanos();
    }
  }
}
