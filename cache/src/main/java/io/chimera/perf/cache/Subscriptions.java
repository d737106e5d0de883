package io.chimera.perf.cache;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pub/sub side of a {@link RedisTier}: which cache listens on which channel, and which channels
 * Redis has confirmed as subscribed.
 *
 * <p>Lettuce resubscribes, after a reconnect, only the channels Redis had confirmed, and only logs
 * a failure to. So a SUBSCRIBE that Redis refuses (an ACL without the channel: {@code NOPERM}) or
 * that fails otherwise would leave the channel unsubscribed for good while the tier looked healthy.
 * Here, a sweep every second subscribes every registered channel that is not confirmed; while one
 * is not, {@link #listening} is false for it, and on its first failure its subscriber is told, as
 * on a lost connection, that it may have missed messages.
 */
final class Subscriptions {

  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

  static final long SWEEP_MILLIS = 1000;

  private final String description;
  private final Duration connectTimeout;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentHashMap<String, RedisTier.Subscriber> subscribers =
      new ConcurrentHashMap<>();

  /** Channels Redis confirmed since the connection last dropped. */
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

  /** Channels with a SUBSCRIBE on the way, and for whom: the sweep sends no second one. */
  private final ConcurrentHashMap<String, RedisTier.Subscriber> inFlight =
      new ConcurrentHashMap<>();

  /** Channels whose SUBSCRIBE failed since they were last confirmed: warned about once. */
  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  /** Bumped when the connection drops: a reply from before then confirms nothing. */
  private final AtomicInteger generation = new AtomicInteger();

  private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private volatile boolean closed;

  Subscriptions(String description, Duration connectTimeout, ScheduledExecutorService scheduler) {
    this.description = description;
    this.connectTimeout = connectTimeout;
    this.scheduler = scheduler;
  }

  /** Adopts the tier's (first) pub/sub connection, subscribes every channel, starts the sweep. */
  void attach(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
    connection.addListener(new Messages());
    pubsub = connection;
    sweep();
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Registers a channel's subscriber and, when connected, subscribes it, waiting up to the connect
   * timeout for Redis to confirm (a failure is retried by the sweep).
   */
  void register(String channel, RedisTier.Subscriber subscriber) {
    if (subscribers.putIfAbsent(channel, subscriber) != null) {
      throw new IllegalStateException(
          "a cache using channel '" + channel + "' is already registered on " + description);
    }
    // a previous registration's state is not this one's
    confirmed.remove(channel);
    failing.remove(channel);
    if (pubsub == null) {
      return;
    }
    // sent even if an earlier registration's SUBSCRIBE is on its way: replies come in command
    // order, so this one's comes after that registration's UNSUBSCRIBE
    inFlight.put(channel, subscriber);
    try {
      subscribe(channel, subscriber).get(connectTimeout.toMillis() + 100, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // logged by subscribe, retried by the sweep
    }
  }

  void unregister(String channel) {
    if (subscribers.remove(channel) == null) {
      return;
    }
    confirmed.remove(channel);
    failing.remove(channel);
    unsubscribe(channel);
  }

  private void unsubscribe(String channel) {
    StatefulRedisPubSubConnection<byte[], byte[]> c = pubsub;
    if (c != null && !closed) {
      var unused = c.async().unsubscribe(channel.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** True once Redis confirmed {@code channel}, until the connection or the channel is lost. */
  boolean listening(String channel) {
    return confirmed.contains(channel);
  }

  /** The pub/sub connection dropped: every channel is unconfirmed until Redis resubscribes it. */
  void connectionLost() {
    generation.incrementAndGet();
    confirmed.clear();
    for (RedisTier.Subscriber s : subscribers.values()) {
      s.onConnectionLost();
    }
  }

  void close() {
    closed = true;
  }

  /** Subscribes every registered channel that is neither confirmed nor on its way. */
  void sweep() {
    StatefulRedisPubSubConnection<byte[], byte[]> c = pubsub;
    if (closed || c == null || !c.isOpen()) {
      return;
    }
    subscribers.forEach(
        (channel, s) -> {
          if (!confirmed.contains(channel) && inFlight.putIfAbsent(channel, s) == null) {
            var unused = subscribe(channel, s);
          }
        });
  }

  /** Sends one SUBSCRIBE for {@code s}; the caller has put it in {@link #inFlight}. */
  private CompletableFuture<Void> subscribe(String channel, RedisTier.Subscriber s) {
    StatefulRedisPubSubConnection<byte[], byte[]> c = pubsub;
    int sentIn = generation.get();
    CompletableFuture<Void> sent;
    try {
      sent =
          Objects.requireNonNull(c)
              .async()
              .subscribe(channel.getBytes(StandardCharsets.UTF_8))
              .toCompletableFuture();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    // the stage after the bookkeeping, so that register's wait sees the channel confirmed
    return sent.whenComplete(
        (ok, error) -> {
          inFlight.remove(channel, s);
          RedisTier.Subscriber current = subscribers.get(channel);
          if (current != s || closed) {
            if (error == null && current == null) {
              unsubscribe(channel); // unregistered while this SUBSCRIBE was on its way
            }
            return;
          }
          if (error == null) {
            if (generation.get() == sentIn) {
              confirm(channel);
            }
          } else if (failing.add(channel)) {
            LOG.warn(
                "Redis {} did not subscribe {} ({}): messages on it are not heard (for"
                    + " invalidations: this instance's L1 may serve values other instances"
                    + " replaced, and its cache reports DEGRADED); retrying every {} ms",
                description,
                channel,
                RedisTier.rootCause(error),
                SWEEP_MILLIS);
            s.onConnectionLost();
          }
        });
  }

  private void confirm(String channel) {
    confirmed.add(channel);
    if (failing.remove(channel)) {
      LOG.info("Redis {} subscribed {} after all", description, channel);
    }
  }

  private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {
    @Override
    public void unsubscribed(byte[] channel, long count) {
      // only unregister unsubscribes; a registration since then resubscribes after it
      confirmed.remove(new String(channel, StandardCharsets.UTF_8));
    }

    @Override
    public void message(byte[] channel, byte[] message) {
      RedisTier.Subscriber s = subscribers.get(new String(channel, StandardCharsets.UTF_8));
      if (s != null) {
        s.onMessage(message);
      }
    }

    @Override
    public void subscribed(byte[] channel, long count) {
      String name = new String(channel, StandardCharsets.UTF_8);
      RedisTier.Subscriber s = subscribers.get(name);
      if (s != null && !closed) {
        confirm(name); // also after a reconnect, when Lettuce resubscribes on its own
        try {
          scheduler.execute(s::onSubscribed);
        } catch (RuntimeException e) {
          LOG.debug("tier closing; not recovering {}", name);
        }
      }
    }
  }
}
