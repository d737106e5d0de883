package io.chimera.perf.cache;

import static io.chimera.perf.cache.RedisFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.Health;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.RedisExtension;
import io.chimera.perf.testing.RedisServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TieredCacheBuilder#acknowledgedInvalidation}: a write returns once every instance has
 * dropped the old value, on a real Redis. The other instances decode keys slowly (a key codec that
 * sleeps while told to), so an invalidation that returned on Redis's answer alone, before their
 * confirmations, would find the old value still in their L1.
 */
@ExtendWith(RedisExtension.class)
class AcknowledgedInvalidationIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final RedisServer redis;
  private final RedisClient rawClient;
  private final StatefulRedisConnection<String, String> raw;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Map<TieredCache<?, ?>, SimpleMeterRegistry> registries = new HashMap<>();

  /** How long the slow key codec sleeps in each decode. */
  private volatile long decodeMillis;

  /** One Redis per class (the extension's); a raw client per test, for what the tiers wrote. */
  AcknowledgedInvalidationIT(RedisServer redis) {
    this.redis = redis;
    this.rawClient = RedisClient.create(redis.uri());
    try {
      this.raw = rawClient.connect();
      raw.sync().flushall();
    } catch (RuntimeException e) {
      rawClient.shutdown();
      throw e;
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    decodeMillis = 0;
    try {
      for (int i = toClose.size() - 1; i >= 0; i--) {
        toClose.get(i).close();
      }
    } finally {
      raw.close();
      rawClient.shutdown();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    toClose.add(c);
    return c;
  }

  /** An instance of cache {@code name} on its own tier and registry, as in its own process. */
  private TieredCache<String, String> instance(String name, Duration ackTimeout) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // a generous command timeout: a slow CI machine must not turn a write into "not in Redis"
    RedisTier tier =
        track(
            RedisTier.builder(redis.uri())
                .meterRegistry(registry)
                .commandTimeout(Duration.ofSeconds(1))
                .maxReconnectDelay(Duration.ofMillis(200))
                .build());
    return track(
        TieredCache.builder(name)
            .keyCodec(slowKeys())
            .valueCodec(CacheCodec.utf8())
            .redisTier(tier)
            .meterRegistry(registry)
            .acknowledgedInvalidation(ackTimeout)
            .build(),
        registry);
  }

  private TieredCache<String, String> track(
      TieredCache<String, String> cache, SimpleMeterRegistry registry) {
    registries.put(cache, registry);
    return track(cache);
  }

  /** The {@code confirm} waits of {@code cache} that ended with {@code outcome}. */
  private long confirms(TieredCache<?, ?> cache, String outcome) {
    Timer t =
        registries
            .get(cache)
            .find(MetricNames.CACHE_L2_OPERATIONS)
            .tag(MetricNames.TAG_OP, MetricNames.OP_CONFIRM)
            .tag(MetricNames.TAG_OUTCOME, outcome)
            .timer();
    return t == null ? -1 : t.count();
  }

  /** UTF-8 keys whose decoding (only invalidation messages decode keys) sleeps while told to. */
  private CacheCodec<String> slowKeys() {
    CacheCodec<String> utf8 = CacheCodec.utf8();
    return new CacheCodec<>() {
      @Override
      public byte[] encode(String value) {
        return utf8.encode(value);
      }

      @Override
      public String decode(byte[] bytes, int offset, int length) {
        long millis = decodeMillis;
        if (millis > 0) {
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return utf8.decode(bytes, offset, length);
      }
    };
  }

  @Test
  void aConfirmedWriteHasLeftNoOldValueInAnyInstance() {
    TieredCache<String, String> a = instance("acked", TIMEOUT);
    TieredCache<String, String> b = instance("acked", TIMEOUT);
    TieredCache<String, String> c = instance("acked", TIMEOUT);
    assertThat(a.put("k", "v0")).isTrue();
    decodeMillis = 20;
    for (int i = 1; i <= 10; i++) {
      String old = "v" + (i - 1);
      String v = "v" + i;
      // B and C hold the old value in L1 ...
      assertThat(b.get("k", k -> "loaded")).isEqualTo(old);
      assertThat(c.get("k", k -> "loaded")).isEqualTo(old);
      assertThat(b.l1.caffeine.getIfPresent("k")).as("B holds %s in L1", old).isNotNull();
      assertThat(c.l1.caffeine.getIfPresent("k")).as("C holds %s in L1", old).isNotNull();
      // ... and once put returns (no waiting here), neither has it any more
      assertThat(a.put("k", v)).as("put %s", v).isTrue();
      assertThat(b.l1.caffeine.getIfPresent("k")).as("B's L1 after put %s", v).isNull();
      assertThat(c.l1.caffeine.getIfPresent("k")).as("C's L1 after put %s", v).isNull();
    }
    assertThat(b.get("k", k -> "loaded")).isEqualTo("v10");
    assertThat(a.invalidate("k")).isTrue();
    assertThat(b.l1.caffeine.getIfPresent("k")).as("B's L1 after invalidate").isNull();
    assertThat(b.get("k", k -> "fresh")).isEqualTo("fresh");
    assertThat(confirms(a, MetricNames.OUTCOME_SUCCESS)).isEqualTo(12);
    assertThat(confirms(a, MetricNames.OUTCOME_TIMEOUT)).isZero();
  }

  @Test
  void invalidateAllReturnsOnceEveryInstanceIsEmpty() {
    TieredCache<String, String> a = instance("acked-all", TIMEOUT);
    TieredCache<String, String> b = instance("acked-all", TIMEOUT);
    a.put("x", "1");
    a.put("y", "2");
    assertThat(b.get("x", k -> "?")).isEqualTo("1");
    assertThat(b.get("y", k -> "?")).isEqualTo("2");

    assertThat(a.invalidateAll()).isTrue();

    assertThat(b.l1.caffeine.asMap()).isEmpty();
    assertThat(raw.sync().keys("chimera:acked-all:*")).isEmpty();
  }

  @Test
  void anInstanceTooSlowToConfirmMakesTheWriteReturnFalseAfterTheTimeout() {
    TieredCache<String, String> a = instance("slow-peer", Duration.ofMillis(300));
    TieredCache<String, String> b = instance("slow-peer", Duration.ofMillis(300));
    a.put("k", "old");
    assertThat(b.get("k", k -> "?")).isEqualTo("old");
    decodeMillis = 1500;
    long timeoutsBefore = confirms(a, MetricNames.OUTCOME_TIMEOUT);

    long start = System.nanoTime();
    boolean confirmed = a.invalidate("k");
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(confirmed).isFalse();
    assertThat(tookMillis).as("waited for the timeout, not for B").isBetween(290L, 1300L);
    assertThat(raw.sync().exists("chimera:slow-peer:k")).as("Redis got the delete").isZero();
    assertThat(a.l1.caffeine.getIfPresent("k")).isNull();
    assertThat(a.coherence.hasPending()).as("nothing to replay: Redis has it").isFalse();
    assertThat(confirms(a, MetricNames.OUTCOME_TIMEOUT)).isEqualTo(timeoutsBefore + 1);
    // the slow instance still drops it when it gets there
    eventually(Duration.ofSeconds(5), "B drops k", () -> b.l1.caffeine.getIfPresent("k") == null);
  }

  @Test
  void aSubscriberThatNeverConfirmsIsWaitedForAndReported() {
    TieredCache<String, String> a = instance("mute", Duration.ofMillis(150));
    TieredCache<String, String> b = instance("mute", Duration.ofMillis(150));
    assertThat(a.put("k", "v1")).isTrue();
    try (StatefulRedisPubSubConnection<String, String> listener = rawClient.connectPubSub()) {
      listener.sync().subscribe(Coherence.channel("mute"));

      assertThat(a.put("k", "v2")).as("a third receiver never confirms").isFalse();
      assertThat(raw.sync().get("chimera:mute:k")).isNotNull();
      assertThat(a.get("k", k -> "?")).as("the writer keeps the value Redis has").isEqualTo("v2");
      assertThat(b.get("k", k -> "?")).isEqualTo("v2");
    }
    eventually(
        Duration.ofSeconds(2),
        "the listener is gone",
        () ->
            raw.sync().pubsubNumsub(Coherence.channel("mute")).get(Coherence.channel("mute")) == 2);
    assertThat(a.put("k", "v3")).isTrue();
  }

  @Test
  void oneInstanceAloneConfirmsItselfWithoutWaitingForTheTimeout() {
    TieredCache<String, String> a = instance("alone", Duration.ofSeconds(5));
    long start = System.nanoTime();
    assertThat(a.put("k", "v")).isTrue();
    assertThat(a.invalidate("k")).isTrue();
    assertThat(a.invalidateAll()).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
  }

  @Test
  void foreignMessagesOnTheConfirmationChannelDoNotStandInForAnInstance() throws Exception {
    TieredCache<String, String> a = instance("foreign", Duration.ofSeconds(5));
    TieredCache<String, String> b = instance("foreign", Duration.ofSeconds(5));
    a.put("k", "v");
    assertThat(b.get("k", k -> "?")).isEqualTo("v");
    decodeMillis = 500;
    byte[] channel = a.coherence.confirmChannel().getBytes(StandardCharsets.UTF_8);
    byte[] wrongRequest = new byte[Coherence.CONFIRMATION_LENGTH];
    wrongRequest[0] = Coherence.CONFIRM;
    wrongRequest[8] = 99;
    Thread forger =
        new Thread(
            () -> {
              try (StatefulRedisConnection<byte[], byte[]> bytes =
                  rawClient.connect(ByteArrayCodec.INSTANCE)) {
                Thread.sleep(100); // A is waiting for B by now
                bytes
                    .sync()
                    .publish(channel, "not a confirmation".getBytes(StandardCharsets.UTF_8));
                bytes.sync().publish(channel, new byte[] {Coherence.CONFIRM, 1, 2});
                bytes.sync().publish(channel, wrongRequest);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    forger.start();
    long start = System.nanoTime();
    assertThat(a.invalidate("k")).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).as("waited for B").isGreaterThan(400);
    assertThat(b.l1.caffeine.getIfPresent("k")).isNull();
    forger.join();
  }

  @Test
  void killedSubscriptionsEmptyL1AtOnceAndTheTierRecovers() {
    TieredCache<String, String> a = instance("killed", TIMEOUT);
    TieredCache<String, String> b = instance("killed", TIMEOUT);
    a.put("k", "v1");
    assertThat(b.get("k", k -> "?")).isEqualTo("v1");
    assertThat(b.l1.caffeine.getIfPresent("k")).isNotNull();

    // only the subscriptions die (as when Redis drops a subscriber over its output buffer limit)
    raw.sync().clientKill(KillArgs.Builder.typePubsub());

    eventually(
        Duration.ofSeconds(2), "B empties L1", () -> b.l1.caffeine.getIfPresent("k") == null);
    eventually(
        Duration.ofSeconds(5),
        "both tiers up again",
        () -> a.health() == Health.UP && b.health() == Health.UP);
    eventually(Duration.ofSeconds(5), "writes are confirmed again", () -> a.put("k", "v2"));
    assertThat(b.get("k", k -> "?")).isEqualTo("v2");
  }

  @Test
  void withoutTheOptionNoWriteWaitsAndNoConfirmTimerExists() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RedisTier tier = track(RedisFixtures.tier(redis.uri(), registry));
    TieredCache<String, String> plain =
        track(RedisFixtures.cache("plain", tier, registry), registry);
    assertThat(plain.put("k", "v")).isTrue();
    assertThat(confirms(plain, MetricNames.OUTCOME_SUCCESS)).isEqualTo(-1);
    assertThat(plain.coherence.confirmChannel()).isNotEmpty();
    assertThat(
            raw.sync()
                .pubsubNumsub(plain.coherence.confirmChannel())
                .get(plain.coherence.confirmChannel()))
        .as("no confirmation channel subscribed")
        .isZero();
  }
}
