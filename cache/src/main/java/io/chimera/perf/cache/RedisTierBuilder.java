package io.chimera.perf.cache;

import io.chimera.perf.breaker.ProviderBreakers;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RedisTier}; start one with {@link RedisTier#builder(String)}. Each setter
 * validates at once; {@link #build()} never fails because Redis is unreachable.
 */
public final class RedisTierBuilder {

  /** The tick of the timer Lettuce times commands out on: a timeout fires at most this late. */
  static final long TIMER_TICK_MILLIS = 10;

  final RedisURI uri;
  String name = "redis";
  boolean cluster;
  Duration commandTimeout = RedisTier.DEFAULT_COMMAND_TIMEOUT;
  Duration connectTimeout = RedisTier.DEFAULT_CONNECT_TIMEOUT;
  Duration maxReconnectDelay = RedisTier.DEFAULT_MAX_RECONNECT_DELAY;
  MeterRegistry registry = Metrics.globalRegistry;
  @Nullable ProviderBreakers breakers;
  @Nullable TrustManagerFactory trust;

  RedisTierBuilder(RedisURI uri) {
    this.uri = uri;
  }

  /**
   * Names the tier: the {@code breaker} tag of its breaker meters and part of its thread name.
   *
   * @param name 1 to 64 characters of {@code [A-Za-z0-9._-]}; default {@code redis}
   * @return this
   * @throws IllegalArgumentException if the name is empty, too long or has other characters
   */
  public RedisTierBuilder name(String name) {
    this.name = TieredCache.checkName("tier name", name);
    return this;
  }

  /**
   * Treats the URI as a seed of a Redis Cluster.
   *
   * @param cluster true for Cluster; default false
   * @return this
   */
  public RedisTierBuilder cluster(boolean cluster) {
    this.cluster = cluster;
    return this;
  }

  /**
   * Sets the command timeout: a Redis command not answered by then fails (at most about 10 ms
   * later) and the cache falls back to L1 and the loader.
   *
   * @param timeout 1 ms to 10 s; default {@link RedisTier#DEFAULT_COMMAND_TIMEOUT}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public RedisTierBuilder commandTimeout(Duration timeout) {
    this.commandTimeout = checkRange("commandTimeout", timeout, 1, 10_000);
    return this;
  }

  /**
   * Sets the set-up timeout of a connection: TCP connect, TLS handshake, HELLO and AUTH, and for
   * Sentinel the master lookup. {@link #build()} and each reconnect attempt may wait this long for
   * an address that accepts nothing or never answers (commands are refused meanwhile, never held).
   *
   * @param timeout 10 ms to 60 s; default {@link RedisTier#DEFAULT_CONNECT_TIMEOUT}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public RedisTierBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = checkRange("connectTimeout", timeout, 10, 60_000);
    return this;
  }

  /**
   * Sets the longest pause between reconnect attempts after a connection drops.
   *
   * @param delay 10 ms to 60 s; default {@link RedisTier#DEFAULT_MAX_RECONNECT_DELAY}
   * @return this
   * @throws IllegalArgumentException if outside that range
   */
  public RedisTierBuilder maxReconnectDelay(Duration delay) {
    this.maxReconnectDelay = checkRange("maxReconnectDelay", delay, 10, 60_000);
    return this;
  }

  /**
   * Sets the registry of the breaker meters when this tier creates its own breakers.
   *
   * @param registry the registry; default {@link Metrics#globalRegistry}
   * @return this
   */
  public RedisTierBuilder meterRegistry(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Uses an application's {@link ProviderBreakers}; the Redis breaker is its provider {@value
   * RedisTier#BREAKER_PROVIDER}. The caller keeps ownership (this tier does not close it). Default:
   * a breaker set of its own named like the tier (20-call window, opens at 50% failures, probes
   * after 1 s).
   *
   * @param breakers the breakers
   * @return this
   */
  public RedisTierBuilder breakers(ProviderBreakers breakers) {
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    return this;
  }

  /**
   * Trusts the CA certificates in a file for a {@code rediss://} URI, instead of the JVM's default
   * trust store (for a Redis whose certificate a private CA signed). The file is read here, once;
   * replacing it later changes nothing. The peer is still verified as Lettuce does by default: its
   * chain must lead to one of these certificates and its certificate must name the URI's host
   * (unless the URI itself lowers {@code verifyPeer}).
   *
   * @param file one or more X.509 certificates, PEM ({@code -----BEGIN CERTIFICATE-----}) or DER
   * @return this
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  public RedisTierBuilder trustedCertificates(Path file) {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, c);
      }
      if (n == 0) {
        throw new IllegalArgumentException(
            "trustedCertificates: " + file + " holds no X.509 certificate");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      this.trust = tmf;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "trustedCertificates: cannot read X.509 certificates from " + file + ": " + e, e);
    }
    return this;
  }

  /**
   * Builds the tier and connects, or starts degraded and keeps trying in the background.
   *
   * @return the tier
   * @throws IllegalArgumentException if the connect timeout is shorter than the command timeout, or
   *     trusted certificates were given for a URI without TLS
   * @throws IllegalStateException if the {@linkplain #breakers(ProviderBreakers) breakers given}
   *     have no room for another provider
   */
  public RedisTier build() {
    if (connectTimeout.compareTo(commandTimeout) < 0) {
      throw new IllegalArgumentException(
          "connectTimeout ("
              + connectTimeout.toMillis()
              + " ms) must not be shorter than commandTimeout ("
              + commandTimeout.toMillis()
              + " ms)");
    }
    if (trust != null && !uri.isSsl()) {
      throw new IllegalArgumentException(
          "trustedCertificates given for "
              + RedisTier.describe(uri)
              + ", which does not use TLS (use rediss://)");
    }
    RedisTier tier = new RedisTier(this);
    tier.connect();
    return tier;
  }

  /**
   * The timer Lettuce expires commands on, ticking every {@link #TIMER_TICK_MILLIS} ms. Lettuce's
   * own ticks every 100 ms, so a 50 ms command timeout fired after about 100 ms and a miss on a
   * slow Redis waited that long for its loader. Lettuce runs its other delays on it too, so
   * reconnects now really wait 10, 20, 40 ms... (up to the maximum delay) rather than a whole tick;
   * its thread wakes 100 times a second. Stop it when the resources are shut down (Lettuce leaves a
   * timer it was given running).
   */
  HashedWheelTimer newTimer() {
    return new HashedWheelTimer(
        r -> {
          Thread t = new Thread(r, "chimera-redis-timer-" + name);
          t.setDaemon(true);
          return t;
        },
        TIMER_TICK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** The tier's own Lettuce resources: two I/O threads, reconnects backing off to the maximum. */
  ClientResources newResources(Timer timer) {
    return ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .timer(timer)
        .reconnectDelay(
            Delay.exponential(Duration.ofMillis(10), maxReconnectDelay, 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * The tier's Lettuce client: reconnecting on its own, refusing commands while disconnected (never
   * queueing them), every command bounded by the command timeout, a connection's set-up by the
   * connect timeout.
   */
  AbstractRedisClient newClient(ClientResources resources) {
    // The URI's timeout bounds a new connection's set-up (TCP connect, TLS handshake, HELLO, AUTH):
    // the connect timeout, not the command timeout, or a TLS handshake on a cold JVM (often over
    // 50 ms) fails every first connect. Each sentinel's URI bounds the set-up of the connection to
    // it (Lettuce's default there is 60 s). Commands are bounded by the timeout options below.
    uri.setTimeout(connectTimeout);
    for (RedisURI sentinel : uri.getSentinels()) {
      sentinel.setTimeout(connectTimeout);
    }
    if (cluster) {
      RedisClusterClient c = RedisClusterClient.create(resources, uri);
      ClusterClientOptions.Builder options = ClusterClientOptions.builder();
      configure(options);
      c.setOptions(options.build());
      return c;
    }
    RedisClient c = RedisClient.create(resources, uri);
    ClientOptions.Builder options = ClientOptions.builder();
    configure(options);
    c.setOptions(options.build());
    return c;
  }

  /** The options both kinds of client share (a Cluster builder overrides each setter). */
  private void configure(ClientOptions.Builder options) {
    options
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(
            SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
        .timeoutOptions(
            TimeoutOptions.builder()
                .timeoutCommands(true)
                .timeoutSource(new Timeouts(commandTimeout, connectTimeout))
                .build());
    if (trust != null) {
      options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trust).build());
    }
  }

  /**
   * Every command expires after the command timeout, but for a Sentinel's master lookup and the
   * subscription's SUBSCRIBE and UNSUBSCRIBE: part of setting a connection up, they get the connect
   * timeout.
   */
  static final class Timeouts extends TimeoutOptions.TimeoutSource {
    private final long commandNanos;
    private final long setUpNanos;

    Timeouts(Duration command, Duration setUp) {
      this.commandNanos = command.toNanos();
      this.setUpNanos = setUp.toNanos();
    }

    @Override
    public long getTimeout(RedisCommand<?, ?, ?> command) {
      // asking a sentinel and (re)subscribing are part of setting up, not a cache call's wait
      ProtocolKeyword type = command.getType();
      return type == CommandType.SENTINEL
              || type == CommandType.SUBSCRIBE
              || type == CommandType.UNSUBSCRIBE
          ? setUpNanos
          : commandNanos;
    }

    @Override
    public TimeUnit getTimeUnit() {
      return TimeUnit.NANOSECONDS;
    }
  }

  private static Duration checkRange(String what, Duration d, long minMillis, long maxMillis) {
    Objects.requireNonNull(d, what);
    if (d.compareTo(Duration.ofMillis(minMillis)) < 0
        || d.compareTo(Duration.ofMillis(maxMillis)) > 0) {
      throw new IllegalArgumentException(
          what
              + " must be "
              + minMillis
              + " ms to "
              + maxMillis
              + " ms, got "
              + d.toMillis()
              + " ms");
    }
    return d;
  }
}
