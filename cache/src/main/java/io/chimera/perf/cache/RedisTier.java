package io.chimera.perf.cache;

import io.chimera.perf.breaker.ProviderBreakers;
import io.chimera.perf.core.Health;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.HashedWheelTimer;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L2 connection: one Lettuce client (standalone, Sentinel or Cluster; TLS with {@code
 * rediss://}, trusting the JVM's CAs or {@linkplain RedisTierBuilder#trustedCertificates(
 * java.nio.file.Path) your own}; AUTH in the URI) shared by any number of {@link TieredCache}s,
 * with a short command timeout and a Resilience4j breaker from {@link ProviderBreakers}, so a slow
 * or absent Redis is never the reason a cache call fails.
 *
 * <p>Building never fails because Redis is down: the tier starts {@linkplain Health#DEGRADED
 * degraded} and keeps trying to connect in the background; caches serve L1 and their loaders until
 * it is back. While it is not connected, commands are refused at once instead of queued.
 *
 * <pre>{@code
 * try (RedisTier redis = RedisTier.builder("redis://cache.internal:6379")
 *         .commandTimeout(Duration.ofMillis(50))
 *         .meterRegistry(registry)
 *         .build();
 *     TieredCache<String, String> cache = TieredCache.builder("prompts")
 *         .keyCodec(CacheCodec.utf8())
 *         .valueCodec(CacheCodec.utf8())
 *         .redisTier(redis)
 *         .build()) {
 *   String v = cache.get("k", k -> expensiveLookup(k));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RedisTier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);

  /** The default command timeout: well under the 100 ms an L1 miss may wait for Redis. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);

  /** The default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** The default longest pause between reconnect attempts. */
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  /** The provider name of the Redis breaker inside {@link ProviderBreakers}. */
  public static final String BREAKER_PROVIDER = "redis";

  private static final Duration WAIT_MARGIN = Duration.ofMillis(50);

  /** What a cache registers to hear about its channel and the connection. */
  interface Subscriber {
    void onMessage(byte[] message);

    /** The channel is (re)subscribed; called on the tier's own thread. */
    void onSubscribed();

    /**
     * The subscription connection dropped, or Redis refused the channel: messages may be missed
     * until it is subscribed again.
     */
    void onConnectionLost();
  }

  /** The live connections. */
  record Connections(
      StatefulConnection<byte[], byte[]> command,
      RedisClusterAsyncCommands<byte[], byte[]> async,
      StatefulRedisPubSubConnection<byte[], byte[]> pubsub) {}

  /** Refusal while not connected; stackless, like the breaker's own refusal. */
  static final class NotConnectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotConnectedException(String message) {
      super(message, null, false, false);
    }
  }

  private final String name;
  private final String description;
  private final boolean cluster;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final long waitNanos;
  private final HashedWheelTimer timer;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final ProviderBreakers breakers;
  private final boolean ownsBreakers;
  private final CircuitBreaker circuitBreaker;
  private final ScheduledExecutorService scheduler;
  private final NotConnectedException notConnected;
  private final Subscriptions subscriptions;
  private final Object connectLock = new Object();
  @Nullable private volatile Connections connections;
  private volatile boolean connected;
  private volatile Instant downSince = Instant.now();
  private volatile boolean everConnected; // the first connect logs no "was unreachable"
  private volatile String problem = "not connected yet";
  private volatile boolean closed;
  private int attempts; // guarded by connectLock

  RedisTier(RedisTierBuilder b) {
    this.name = b.name;
    this.description = describe(b.uri);
    this.cluster = b.cluster;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.waitNanos = commandTimeout.plus(WAIT_MARGIN).toNanos();
    this.notConnected = new NotConnectedException("Redis " + description + " is not connected");
    if (b.breakers != null) {
      this.breakers = b.breakers;
      this.ownsBreakers = false;
    } else {
      this.breakers =
          ProviderBreakers.builder(name)
              .meterRegistry(b.registry)
              .defaultConfig(
                  CircuitBreakerConfig.custom()
                      .slidingWindowSize(20)
                      .minimumNumberOfCalls(10)
                      .failureRateThreshold(50)
                      .waitDurationInOpenState(Duration.ofSeconds(1))
                      .permittedNumberOfCallsInHalfOpenState(3)
                      .build())
              .build();
      this.ownsBreakers = true;
    }
    // may refuse (a user's breakers full): before anything with a thread exists
    this.circuitBreaker = breakers.circuitBreaker(BREAKER_PROVIDER);
    this.timer = b.newTimer();
    ClientResources res = null;
    try {
      res = b.newResources(timer);
      this.client = b.newClient(res);
    } catch (RuntimeException e) {
      if (res != null) {
        var unused = res.shutdown(0, 2, TimeUnit.SECONDS);
      }
      timer.stop();
      if (ownsBreakers) {
        breakers.close();
      }
      throw e;
    }
    this.resources = res;
    client.addListener(new StateListener());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chimera-redis-tier-" + name);
              t.setDaemon(true);
              return t;
            });
    this.subscriptions = new Subscriptions(description, connectTimeout, scheduler);
  }

  /**
   * Starts a builder.
   *
   * @param uri a Redis URI: {@code redis://[password@]host[:port][/db]}, {@code rediss://...} for
   *     TLS, {@code redis-sentinel://host[:port][,host2[:port2]]/[db]#masterId} (the sentinels are
   *     asked for the master's address at each connect and reconnect, so after a failover the tier
   *     reconnects to the promoted replica); for a Cluster, a seed node's {@code redis://} URI and
   *     {@link RedisTierBuilder#cluster(boolean) cluster(true)}
   * @return a builder
   * @throws IllegalArgumentException if the URI does not parse
   */
  public static RedisTierBuilder builder(String uri) {
    Objects.requireNonNull(uri, "uri");
    try {
      return new RedisTierBuilder(RedisURI.create(uri));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not a Redis URI: '" + redact(uri) + "' (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Returns the health: {@link Health#UP} when connected with the breaker closed, {@link
   * Health#DEGRADED} while Redis is unreachable or the breaker is open or still probing
   * (half-open), {@link Health#DOWN} after {@link #close()}.
   *
   * @return the health
   */
  public Health health() {
    if (closed) {
      return Health.DOWN;
    }
    if (!connected || connections == null) {
      return Health.DEGRADED;
    }
    // half-open lets a few probes through and refuses the rest: not recovered until it closes
    CircuitBreaker.State s = circuitBreaker.getState();
    return s == CircuitBreaker.State.CLOSED
            || s == CircuitBreaker.State.DISABLED
            || s == CircuitBreaker.State.METRICS_ONLY
        ? Health.UP
        : Health.DEGRADED;
  }

  /**
   * Says what is wrong with Redis, in words a person can act on, or empty while it is healthy.
   *
   * @return for example "Redis redis://10.0.0.5:6379 unreachable since 2026-01-01T10:00:00Z:
   *     connection lost"
   */
  public Optional<String> problem() {
    Health h = health();
    if (h == Health.UP) {
      return Optional.empty();
    }
    if (h == Health.DOWN) {
      return Optional.of("Redis tier " + description + " is closed");
    }
    if (connected && connections != null) {
      return Optional.of(
          "Redis "
              + description
              + ": breaker open after repeated failures (last: "
              + problem
              + "); retrying");
    }
    return Optional.of("Redis " + description + " unreachable since " + downSince + ": " + problem);
  }

  /**
   * Returns the address this tier talks to, without credentials.
   *
   * @return for example {@code redis://127.0.0.1:6379}
   */
  public String address() {
    return description;
  }

  /**
   * Returns the command timeout.
   *
   * @return the timeout
   */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  // ---- package-private: used by TieredCache --------------------------------------------------

  long waitNanos() {
    return waitNanos;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** True for a Redis Cluster tier. */
  boolean cluster() {
    return cluster;
  }

  boolean usable() {
    return connected && connections != null && !closed;
  }

  /** Runs a command through the breaker; refused at once while not connected. */
  <T> CompletableFuture<T> execute(Function<Connections, ? extends CompletionStage<T>> command) {
    Connections k = connections;
    if (k == null || !connected || closed) {
      return CompletableFuture.failedFuture(notConnected);
    }
    try {
      return breakers.callAsync(BREAKER_PROVIDER, () -> command.apply(k));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Remembers the last failure for {@link #problem()}; failure path only. */
  void noteFailure(String op, Throwable t) {
    String message = t.getMessage();
    problem = op + " failed: " + (message == null ? t.getClass().getSimpleName() : message);
  }

  void register(String channel, Subscriber subscriber) {
    if (closed) {
      throw new IllegalStateException("Redis tier " + description + " is closed");
    }
    subscriptions.register(channel, subscriber);
  }

  void unregister(String channel) {
    subscriptions.unregister(channel);
  }

  /** True while Redis has {@code channel} subscribed: see {@link Subscriptions}. */
  boolean listening(String channel) {
    return subscriptions.listening(channel);
  }

  /** Connects now or schedules another attempt. */
  void connect() {
    synchronized (connectLock) {
      if (closed || connections != null) {
        return;
      }
      StatefulConnection<byte[], byte[]> command = null;
      StatefulRedisPubSubConnection<byte[], byte[]> pubsub = null;
      try {
        Connections k;
        if (cluster) {
          RedisClusterClient c = (RedisClusterClient) client;
          var conn = c.connect(ByteArrayCodec.INSTANCE);
          command = conn;
          pubsub = c.connectPubSub(ByteArrayCodec.INSTANCE);
          k = new Connections(conn, conn.async(), pubsub);
        } else {
          RedisClient c = (RedisClient) client;
          var conn = c.connect(ByteArrayCodec.INSTANCE);
          command = conn;
          pubsub = c.connectPubSub(ByteArrayCodec.INSTANCE);
          k = new Connections(conn, conn.async(), pubsub);
        }
        connections = k;
        markUp();
        attempts = 0;
        subscriptions.attach(pubsub);
      } catch (RuntimeException e) {
        closeQuietly(command);
        closeQuietly(pubsub);
        String why = rootCause(e);
        problem = "connect failed: " + why;
        long delay = Math.min(2000, 50L << Math.min(attempts, 6));
        if (attempts++ == 0) {
          LOG.warn(
              "Redis {} unreachable ({}); caches serve L1 and their loaders, retrying every {} ms"
                  + " or less",
              description,
              why,
              2000);
        }
        if (!closed) {
          var unused = scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private void markUp() {
    if (!connected) {
      connected = true;
      // from Lettuce's reconnect listener everConnected is already true, so attempts (guarded by
      // connectLock) is only read here under that lock, by connect()
      if (everConnected || attempts > 0) {
        LOG.info("Redis {} connected (was unreachable since {})", description, downSince);
      } else {
        LOG.info("Redis {} connected", description);
      }
      everConnected = true;
    }
  }

  private void markDown(String reason) {
    if (connected) {
      downSince = Instant.now();
      problem = reason;
      connected = false;
      LOG.warn(
          "Redis {} unreachable since {} ({}); caches serve L1 and their loaders",
          description,
          downSince,
          reason);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    subscriptions.close();
    scheduler.shutdownNow();
    synchronized (connectLock) {
      Connections k = connections;
      connections = null;
      if (k != null) {
        closeQuietly(k.pubsub());
        closeQuietly(k.command());
      }
    }
    try {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      LOG.debug("shutting down the Redis client of {}", description, e);
    }
    var unused = resources.shutdown(0, 2, TimeUnit.SECONDS);
    timer.stop();
    if (ownsBreakers) {
      breakers.close();
    }
  }

  @Override
  public String toString() {
    return "RedisTier[" + name + " " + description + " " + health() + "]";
  }

  private static void closeQuietly(@Nullable Object connection) {
    if (connection instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing a Redis connection", e);
      }
    }
  }

  /**
   * Why a connect failed, in words a person can act on: the innermost cause (a refused password, a
   * refused connection, an unknown host, a TLS handshake) rather than the client's "unable to
   * connect" around it, which reads the same for all of them.
   */
  static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    // a bare word (an unknown host's name) says nothing without what kind of failure it is
    return message.contains(" ") ? message : root.getClass().getSimpleName() + ": " + message;
  }

  static String describe(RedisURI uri) {
    String scheme = uri.isSsl() ? "rediss" : "redis";
    if (uri.getSentinels() != null && !uri.getSentinels().isEmpty()) {
      return "redis-sentinel://"
          + uri.getSentinels().get(0).getHost()
          + "#"
          + uri.getSentinelMasterId();
    }
    return scheme + "://" + uri.getHost() + ":" + uri.getPort();
  }

  private static String redact(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  private final class StateListener implements RedisConnectionStateListener {
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
      Connections k = connections;
      if (k == null || closed) {
        return;
      }
      if (handler == k.command()) {
        markDown("connection lost");
      }
      if (handler == k.pubsub()) {
        markDown("connection lost");
        subscriptions.connectionLost();
      }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
      Connections k = connections;
      // the subscription alone may have dropped (Redis closes a subscriber over its output
      // buffer limit): its reconnect must mark the tier up again, the command connection being up
      if (k != null
          && (handler == k.command() || (handler == k.pubsub() && k.command().isOpen()))) {
        markUp();
      }
    }
  }
}
