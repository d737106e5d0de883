package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import io.chimera.perf.core.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Builds {@link JdbcPool}s: HikariCP pools with the PERF-008 pool meters (the same names and tags
 * as {@link ConnectionPool}, so one dashboard covers both), retirements counted by reason, a stale
 * gauge, creation attempts by outcome, and faster recovery from dead connections and database
 * outages. Everything goes through HikariCP's public API: the driver is wrapped in a {@link
 * javax.sql.DataSource} given to {@link HikariConfig#setDataSource}, physical connections are
 * wrapped in proxies of our own, and connection-loss errors are observed through {@link
 * com.zaxxer.hikari.SQLExceptionOverride}.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/app");
 * config.setUsername("app");
 * config.setPassword(secret);
 * config.setPoolName("app-db");
 * config.setMaximumPoolSize(10);
 * try (JdbcPool pool = JdbcPools.builder(config).meterRegistry(registry).provider("postgres").build();
 *     Connection c = pool.getConnection()) {
 *   ...
 * }
 * }</pre>
 */
public final class JdbcPools {
  private JdbcPools() {}

  /**
   * Starts a builder over a HikariCP configuration, which is copied at {@link Builder#build()}.
   *
   * @param config a configuration with a {@code jdbcUrl} or a {@code dataSource}
   * @return the builder
   * @throws IllegalArgumentException if the configuration has neither
   */
  public static Builder builder(HikariConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.getJdbcUrl() == null && config.getDataSource() == null) {
      throw new IllegalArgumentException(
          "config needs a jdbcUrl or a dataSource (dataSourceClassName is not supported)");
    }
    return new Builder(config);
  }

  /** Configures a {@link JdbcPool}; setters validate at once. */
  public static final class Builder {
    private static final Set<String> RESERVED_TAGS =
        Set.of(
            MetricNames.TAG_POOL,
            MetricNames.TAG_PROVIDER,
            MetricNames.TAG_STATE,
            MetricNames.TAG_OUTCOME,
            MetricNames.TAG_REASON);

    final HikariConfig config;
    MeterRegistry registry = new CompositeMeterRegistry();
    String provider = "default";
    Tags tags = Tags.empty();
    long staleAfterNanos = Duration.ofMinutes(1).toNanos();
    long probeIntervalNanos = Duration.ofMillis(100).toNanos();
    long watchNanos = Duration.ofMillis(25).toNanos();
    long suspectWindowNanos = Duration.ofSeconds(1).toNanos();
    long socketCheckAfterIdleNanos = Duration.ofMillis(1).toNanos();
    long holdNanos = Duration.ofSeconds(30).toNanos();
    int refillThreads = 8;
    boolean acquireHistogram;

    private Builder(HikariConfig config) {
      this.config = config;
    }

    /**
     * Where the meters go (default: nowhere).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The {@code provider} tag (default {@code default}).
     *
     * @param provider non-blank
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder provider(String provider) {
      if (provider.isBlank()) {
        throw new IllegalArgumentException("provider must not be blank");
      }
      this.provider = provider;
      return this;
    }

    /**
     * An extra tag on every meter; every pool on one registry must use the same extra keys.
     *
     * @param key not one of pool, provider, state, outcome, reason
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if blank or reserved
     */
    public Builder tag(String key, String value) {
      if (key.isBlank() || value.isBlank() || RESERVED_TAGS.contains(key)) {
        throw new IllegalArgumentException(
            "tag '" + key + "'='" + value + "' is blank or uses a reserved key " + RESERVED_TAGS);
      }
      this.tags = tags.and(key, value);
      return this;
    }

    /**
     * Idle connections unused longer than this count as stale (default 1 min).
     *
     * @param idle more than zero
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder staleAfter(Duration idle) {
      this.staleAfterNanos = positive("staleAfter", idle, Duration.ofNanos(1));
      return this;
    }

    /**
     * How often the single background prober retries while the database is unreachable (default 100
     * ms).
     *
     * @param interval 10 ms or more
     * @return this builder
     * @throws IllegalArgumentException if less than 10 ms
     */
    public Builder probeInterval(Duration interval) {
      this.probeIntervalNanos = positive("probeInterval", interval, Duration.ofMillis(10));
      return this;
    }

    /**
     * How often idle connections' sockets are looked at for signs of death (default 25 ms; a look
     * is one {@code available()} call per idle connection, no round trip).
     *
     * @param interval 10 ms or more
     * @return this builder
     * @throws IllegalArgumentException if less than 10 ms
     */
    public Builder deadConnectionCheckInterval(Duration interval) {
      this.watchNanos = positive("deadConnectionCheckInterval", interval, Duration.ofMillis(10));
      return this;
    }

    /**
     * After a connection fails with a connection-loss error, borrows validate for this long
     * (default 1 s).
     *
     * @param window 1 ms or more
     * @return this builder
     * @throws IllegalArgumentException if less than 1 ms
     */
    public Builder suspectWindow(Duration window) {
      this.suspectWindowNanos = positive("suspectWindow", window, Duration.ofMillis(1));
      return this;
    }

    /**
     * Threads that open replacement connections in parallel (default 8; idle ones exit after a
     * minute).
     *
     * @param threads 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder refillThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException(
            "refillThreads must be between 1 and 64, was " + threads);
      }
      this.refillThreads = threads;
      return this;
    }

    /**
     * Publishes {@code chimera.pool.acquire} with a percentile histogram (the technical dashboard's
     * "Acquire wait" panel takes its P95 from the buckets); default off, when the meter has a count
     * and a total wait (so a mean and a failure rate) only. A histogram costs each acquire a few
     * hundred nanoseconds at two threads (every record of a fast pool lands in the same bucket of
     * one shared array), more than HikariCP's own borrow costs.
     *
     * @param publish whether to publish the histogram
     * @return this builder
     */
    public Builder acquireHistogram(boolean publish) {
      this.acquireHistogram = publish;
      return this;
    }

    /**
     * Builds and starts the pool (HikariCP's start-up rules apply: by default it fails if the first
     * connection cannot be opened).
     *
     * @return the pool
     * @throws SQLException if the JDBC driver for the URL cannot be found
     * @throws RuntimeException whatever HikariCP throws when it cannot start
     */
    public JdbcPool build() throws SQLException {
      return new JdbcPool(this);
    }

    private static long positive(String what, Duration d, Duration min) {
      if (d.compareTo(min) < 0) {
        throw new IllegalArgumentException(what + " must be >= " + min + ", was " + d);
      }
      return ConnectionPool.Builder.saturatedNanos(d);
    }
  }
}
