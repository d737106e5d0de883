package io.chimera.perf.cache;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the L1s of every instance of one cache coherent through a Redis pub/sub channel.
 *
 * <p>A message is {@code [type][16-byte instance id][encoded key]}; an instance ignores its own.
 * Invalidations that could not reach Redis are kept here (at most {@code maxPending}; past that,
 * one "invalidate everything" replaces them) and replayed once Redis answers again; until then this
 * instance does not read those keys from L2. When the subscription connection drops, L1 becomes
 * suspect (invalidations may have been missed) and is flushed as soon as the channel is subscribed
 * again.
 */
final class Coherence<K> implements RedisTier.Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(Coherence.class);

  static final byte KEY = 'k';
  static final byte ALL = 'a';
  static final int HEADER = 17;

  /** What coherence needs from its cache. */
  interface Target<K> {
    void dropLocal(K key, boolean remote);

    void dropAllLocal();

    /** DEL + PUBLISH of one key; true if both reached Redis. */
    boolean deleteAndAnnounce(K key);

    /** Remove every L2 key of the cache + PUBLISH "all"; true if all reached Redis. */
    boolean clearAndAnnounce();
  }

  private final String cache;
  private final Target<K> target;
  private final CacheCodec<K> keyCodec;
  private final byte[] instanceId = new byte[16];
  private final ConcurrentHashMap<K, Boolean> pending = new ConcurrentHashMap<>();
  private final int maxPending;
  private final Object replayLock = new Object();
  private volatile boolean pendingAll;
  private volatile boolean suspect;

  Coherence(String cache, Target<K> target, CacheCodec<K> keyCodec, int maxPending) {
    this.cache = cache;
    this.target = target;
    this.keyCodec = keyCodec;
    this.maxPending = maxPending;
    new SecureRandom().nextBytes(instanceId);
  }

  static String channel(String cache) {
    return "chimera:" + cache + ":__invalidations";
  }

  byte[] keyMessage(byte[] encodedKey) {
    byte[] m = new byte[HEADER + encodedKey.length];
    m[0] = KEY;
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

  /** True while an unacknowledged invalidation covers {@code key}: L2 may hold its old value. */
  boolean blocksRead(K key) {
    return pendingAll || (!pending.isEmpty() && pending.containsKey(key));
  }

  boolean hasPending() {
    return pendingAll || !pending.isEmpty();
  }

  int pendingCount() {
    return pendingAll ? -1 : pending.size();
  }

  void addPending(K key) {
    if (pendingAll) {
      return;
    }
    if (pending.size() >= maxPending) {
      pendingAll = true;
      pending.clear();
      LOG.warn(
          "cache '{}': more than {} invalidations could not reach Redis; everything in L2 will be"
              + " invalidated once it is back",
          cache,
          maxPending);
      return;
    }
    pending.put(key, Boolean.TRUE);
  }

  void addPendingAll() {
    pendingAll = true;
    pending.clear();
  }

  void acknowledged(K key) {
    if (!pending.isEmpty()) {
      pending.remove(key);
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
    if (message.length < HEADER || (message[0] != KEY && message[0] != ALL)) {
      LOG.debug("cache '{}': ignoring a foreign message on its channel", cache);
      return;
    }
    if (Arrays.equals(message, 1, HEADER, instanceId, 0, 16)) {
      return;
    }
    if (message[0] == ALL) {
      target.dropAllLocal();
      return;
    }
    K key;
    try {
      key = keyCodec.decode(message, HEADER, message.length - HEADER);
    } catch (RuntimeException e) {
      LOG.warn(
          "cache '{}': an invalidation names a key the key codec cannot decode ({}); flushing L1",
          cache,
          e.getMessage());
      target.dropAllLocal();
      return;
    }
    target.dropLocal(key, true);
  }

  @Override
  public void onSubscribed() {
    recover();
  }

  @Override
  public void onConnectionLost() {
    suspect = true;
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
      if (pendingAll) {
        if (target.clearAndAnnounce()) {
          pendingAll = false;
          pending.clear();
          LOG.info("cache '{}': pending invalidate-all applied in Redis", cache);
        }
        return;
      }
      if (pending.isEmpty()) {
        return;
      }
      List<K> keys = new ArrayList<>(pending.keySet());
      int done = 0;
      for (K key : keys) {
        if (!target.deleteAndAnnounce(key)) {
          break;
        }
        pending.remove(key);
        done++;
      }
      if (done > 0) {
        LOG.info("cache '{}': {} pending invalidations applied in Redis", cache, done);
      }
    }
  }
}
