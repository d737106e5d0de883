package io.chimera.perf.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the L1s of every instance of one cache coherent through a Redis pub/sub channel.
 *
 * <p>A message is {@code [type][16-byte instance id][encoded key]}; an instance ignores its own.
 * The type tells a deleted key ({@code k}), a written one ({@code p}) and "all keys deleted"
 * ({@code a}) apart: a deletion also makes the receiver delete again what its own loads wrote back
 * just before ({@link WriteBacks}). With {@linkplain TieredCacheBuilder#acknowledgedInvalidation
 * acknowledged invalidation} it is {@code [type][16-byte instance id][8-byte request id][encoded
 * key]}, and every instance that receives it (the writer included, through its own subscription)
 * confirms once its L1 entry is gone: the others by publishing {@code [c][request id][their
 * instance id]} on the writer's own confirmation channel ({@link #confirmChannel}), the writer by
 * seeing its own message come back. The writer waits for as many confirmations as PUBLISH reported
 * receivers. Invalidations that could not reach Redis are kept here (at most {@code maxPending};
 * past that, one "invalidate everything" replaces them) and replayed once Redis answers again;
 * until then this instance does not read those keys from L2. When the subscription connection
 * drops, L1 becomes suspect (invalidations may have been missed) and is flushed as soon as the
 * channel is subscribed again.
 */
final class Coherence<K> implements RedisTier.Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(Coherence.class);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** One key deleted from Redis (an invalidation); upper case: its receivers confirm it. */
  static final byte KEY = 'k';

  static final byte KEY_CONFIRMED = 'K';

  /** One key written to Redis (a put). */
  static final byte PUT = 'p';

  static final byte PUT_CONFIRMED = 'P';

  /** Every key deleted. */
  static final byte ALL = 'a';

  static final byte ALL_CONFIRMED = 'A';

  static final byte CONFIRM = 'c';
  static final int HEADER = 17;

  /** The header of a message whose receivers confirm it: type, instance id, request id. */
  static final int CONFIRMED_HEADER = HEADER + 8;

  /** A confirmation: type, request id, the confirming instance's id. */
  static final int CONFIRMATION_LENGTH = 1 + 8 + 16;

  /** What coherence needs from its cache. */
  interface Target<K> {
    /**
     * Another instance wrote ({@code deleted} false) or deleted a key: drop it here, and delete
     * again what this instance's loads wrote back that the change may have missed (see {@link
     * WriteBacks}). Returns what a confirmation must wait for, null for nothing; a failed one means
     * "do not confirm".
     */
    @Nullable CompletableFuture<?> heard(K key, boolean deleted);

    /** Like {@link #heard} for "every key deleted". */
    @Nullable CompletableFuture<?> heardAll();

    /** Flushes L1 (the subscription is lost or back: messages may have been missed). */
    void dropAllLocal();

    /** DEL + PUBLISH of one key; true if both reached Redis. */
    boolean deleteAndAnnounce(K key);

    /** Remove every L2 key of the cache + PUBLISH "all"; true if all reached Redis. */
    boolean clearAndAnnounce();

    /** Publishes {@code message} on {@code channel} without waiting (a confirmation). */
    void confirm(String channel, byte[] message);
  }

  private final String cache;
  private final Target<K> target;
  private final CacheCodec<K> keyCodec;
  private final byte[] instanceId = new byte[16];
  private final boolean confirming;
  private final String invalidationChannel;
  private final String confirmChannel;
  private final AtomicLong requests = new AtomicLong();
  private final ConcurrentHashMap<Long, Confirmation> awaiting = new ConcurrentHashMap<>();

  /**
   * Keys whose invalidation did not reach Redis, each with the mark of its latest failure: a write
   * that reached Redis clears only the mark it saw before it started, and a replay only the mark it
   * replayed, so a failure recorded meanwhile is never lost.
   */
  private final ConcurrentHashMap<K, Long> pending = new ConcurrentHashMap<>();

  private final AtomicLong marks = new AtomicLong();

  /** The mark of a pending "invalidate everything", or 0. */
  private final AtomicLong pendingAll = new AtomicLong();

  private final int maxPending;
  private final Object replayLock = new Object();
  private volatile boolean suspect;

  /**
   * @param confirming whether writes wait for confirmations: then a lost subscription also empties
   *     L1 at once (not only on resubscribing), since no write waits for this instance meanwhile
   */
  Coherence(
      String cache, Target<K> target, CacheCodec<K> keyCodec, int maxPending, boolean confirming) {
    this.cache = cache;
    this.confirming = confirming;
    this.target = target;
    this.keyCodec = keyCodec;
    this.maxPending = maxPending;
    new SecureRandom().nextBytes(instanceId);
    this.invalidationChannel = channel(cache);
    this.confirmChannel = confirmChannel(cache, instanceId, 0);
  }

  static String channel(String cache) {
    return "chimera:" + cache + ":__invalidations";
  }

  /** The channel on which the instance {@code id[from..from+16)} hears confirmations. */
  static String confirmChannel(String cache, byte[] id, int from) {
    return "chimera:" + cache + ":__confirmations:" + HexFormat.of().formatHex(id, from, from + 16);
  }

  /** This instance's confirmation channel. */
  /** This cache's invalidation channel, {@link #channel(String)}. */
  String invalidationChannel() {
    return invalidationChannel;
  }

  String confirmChannel() {
    return confirmChannel;
  }

  /** Starts waiting for the confirmations of one invalidation; {@link #forget} it afterwards. */
  Confirmation expect() {
    Confirmation c = new Confirmation(requests.incrementAndGet());
    awaiting.put(c.id, c);
    return c;
  }

  void forget(Confirmation c) {
    awaiting.remove(c.id);
  }

  /** The message that a key was written ({@code put}) or deleted, for receivers to confirm. */
  byte[] keyMessage(byte[] encodedKey, boolean put, Confirmation c) {
    byte[] m = new byte[CONFIRMED_HEADER + encodedKey.length];
    m[0] = put ? PUT_CONFIRMED : KEY_CONFIRMED;
    System.arraycopy(instanceId, 0, m, 1, 16);
    LONG.set(m, HEADER, c.id);
    System.arraycopy(encodedKey, 0, m, CONFIRMED_HEADER, encodedKey.length);
    return m;
  }

  byte[] allMessage(Confirmation c) {
    byte[] m = new byte[CONFIRMED_HEADER];
    m[0] = ALL_CONFIRMED;
    System.arraycopy(instanceId, 0, m, 1, 16);
    LONG.set(m, HEADER, c.id);
    return m;
  }

  /** Stops every write waiting for confirmations (the cache is closing). */
  void cancelWaits() {
    for (Confirmation c : awaiting.values()) {
      c.cancel();
    }
  }

  /** Hears a confirmation, {@code [c][request id][instance id]}, on {@link #confirmChannel()}. */
  final RedisTier.Subscriber confirmations =
      new RedisTier.Subscriber() {
        @Override
        public void onMessage(byte[] message) {
          if (message.length != CONFIRMATION_LENGTH || message[0] != CONFIRM) {
            LOG.debug("cache '{}': ignoring a foreign message on its confirmation channel", cache);
            return;
          }
          Confirmation c = awaiting.get((long) LONG.get(message, 1));
          if (c != null) {
            c.confirmed(message, 9);
          }
        }

        @Override
        public void onSubscribed() {}

        @Override
        public void onConnectionLost() {}
      };

  /** The message that a key was written ({@code put}) or deleted. */
  byte[] keyMessage(byte[] encodedKey, boolean put) {
    byte[] m = new byte[HEADER + encodedKey.length];
    m[0] = put ? PUT : KEY;
    System.arraycopy(instanceId, 0, m, 1, 16);
    System.arraycopy(encodedKey, 0, m, HEADER, encodedKey.length);
    return m;
  }

  byte[] allMessage() {
    byte[] m = new byte[HEADER];
    m[0] = ALL;
    System.arraycopy(instanceId, 0, m, 1, 16);
    return m;
  }

  /** True while an undelivered invalidation covers {@code key}: L2 may hold its old value. */
  boolean blocksRead(K key) {
    return pendingAll.get() != 0 || (!pending.isEmpty() && pending.containsKey(key));
  }

  boolean hasPending() {
    return pendingAll.get() != 0 || !pending.isEmpty();
  }

  int pendingCount() {
    return pendingAll.get() != 0 ? -1 : pending.size();
  }

  void addPending(K key) {
    long m = marks.incrementAndGet();
    if (pending.size() >= maxPending) {
      if (pendingAll.getAndSet(m) == 0) {
        LOG.warn(
            "cache '{}': more than {} invalidations could not reach Redis; everything in L2 will"
                + " be invalidated once it is back",
            cache,
            maxPending);
      }
      pending.clear(); // each is older than the "everything" just marked
      return;
    }
    // kept even while "everything" is pending: a replay's flush already under way may not cover it
    pending.put(key, m);
  }

  void addPendingAll() {
    pendingAll.set(marks.incrementAndGet());
    pending.clear();
  }

  /**
   * The failure mark of {@code key} as a write starts (0 if none): once the write reaches Redis,
   * {@link #delivered} clears that mark, and only that one.
   */
  long mark(K key) {
    if (pending.isEmpty()) {
      return 0;
    }
    Long m = pending.get(key);
    return m == null ? 0 : m;
  }

  /** A write that started when {@code key}'s mark was {@code mark} reached Redis. */
  void delivered(K key, long mark) {
    if (mark != 0) {
      pending.remove(key, mark);
    }
  }

  void markSuspect() {
    suspect = true;
  }

  boolean suspect() {
    return suspect;
  }

  @Override
  public void onMessage(byte[] message) {
    byte type = message.length == 0 ? 0 : message[0];
    boolean confirmed = type == KEY_CONFIRMED || type == PUT_CONFIRMED || type == ALL_CONFIRMED;
    int header = confirmed ? CONFIRMED_HEADER : HEADER;
    if (message.length < header || (!confirmed && type != KEY && type != PUT && type != ALL)) {
      LOG.debug("cache '{}': ignoring a foreign message on its channel", cache);
      return;
    }
    long request = confirmed ? (long) LONG.get(message, HEADER) : 0;
    if (Arrays.equals(message, 1, HEADER, instanceId, 0, 16)) {
      if (confirmed) { // this instance's own write: its L1 is already right
        Confirmation c = awaiting.get(request);
        if (c != null) {
          c.echoed();
        }
      }
      return;
    }
    CompletableFuture<?> undone =
        type == ALL || type == ALL_CONFIRMED
            ? target.heardAll()
            : heardKey(message, header, type == KEY || type == KEY_CONFIRMED);
    if (confirmed) {
      byte[] reply = new byte[CONFIRMATION_LENGTH];
      reply[0] = CONFIRM;
      LONG.set(reply, 1, request);
      System.arraycopy(instanceId, 0, reply, 9, 16);
      String channel = confirmChannel(cache, message, 1);
      if (undone == null) {
        target.confirm(channel, reply);
      } else {
        // only once the late write-backs it undoes are gone from Redis (on any node)
        var unused =
            undone.whenComplete(
                (r, error) -> {
                  if (error == null) {
                    target.confirm(channel, reply);
                  } else {
                    LOG.debug(
                        "cache '{}': not confirming an invalidation: undoing a write-back failed",
                        cache);
                  }
                });
      }
    }
  }

  private @Nullable CompletableFuture<?> heardKey(byte[] message, int header, boolean deleted) {
    K key;
    try {
      key = keyCodec.decode(message, header, message.length - header);
    } catch (RuntimeException e) {
      LOG.warn(
          "cache '{}': an invalidation names a key the key codec cannot decode ({}); flushing L1",
          cache,
          e.getMessage());
      if (deleted) {
        return target.heardAll();
      }
      target.dropAllLocal();
      return null;
    }
    return target.heard(key, deleted);
  }

  @Override
  public void onSubscribed() {
    recover();
  }

  @Override
  public void onConnectionLost() {
    suspect = true;
    if (confirming) {
      LOG.info(
          "cache '{}': Redis subscription lost; flushing L1 (writes no longer wait for this"
              + " instance's confirmation)",
          cache);
      target.dropAllLocal();
    }
  }

  /** Flushes a suspect L1 and replays what is pending; runs on the tier's thread. */
  void recover() {
    if (suspect) {
      suspect = false;
      LOG.info(
          "cache '{}': Redis subscription is back; flushing L1 (invalidations may have been"
              + " missed)",
          cache);
      target.dropAllLocal();
    }
    replay();
  }

  void replay() {
    synchronized (replayLock) {
      long all = pendingAll.get();
      if (all != 0) {
        long upTo = marks.get();
        if (target.clearAndAnnounce()) {
          // failures recorded during the flush stay pending, for the next replay
          pendingAll.compareAndSet(all, 0);
          pending.values().removeIf(m -> m <= upTo);
          LOG.info("cache '{}': pending invalidate-all applied in Redis", cache);
        }
        return;
      }
      if (pending.isEmpty()) {
        return;
      }
      List<Map.Entry<K, Long>> snapshot = new ArrayList<>();
      pending.forEach((k, m) -> snapshot.add(Map.entry(k, m)));
      int done = 0;
      for (Map.Entry<K, Long> e : snapshot) {
        K key = e.getKey();
        if (!pending.containsKey(key)) {
          // a write of the key reached Redis since the snapshot: deleting now would drop its value
          continue;
        }
        if (!target.deleteAndAnnounce(key)) {
          break;
        }
        pending.remove(key, e.getValue()); // a failure recorded meanwhile stays
        done++;
      }
      if (done > 0) {
        LOG.info("cache '{}': {} pending invalidations applied in Redis", cache, done);
      }
    }
  }
}
