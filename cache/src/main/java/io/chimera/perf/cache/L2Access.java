package io.chimera.perf.cache;

import static io.chimera.perf.cache.CacheMeters.*;

import io.chimera.perf.breaker.BreakerOpenException;
import io.chimera.perf.breaker.ProviderTimeoutException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** One cache's Redis commands: namespaced keys, breaker, timeout, and per-op timing. */
final class L2Access {

  private static final String[] OP_NAMES = {
    "GET", "MGET", "SET", "pipelined SET", "DEL", "PUBLISH", "SCAN"
  };
  private static final int SCAN_PAGE = 500;

  private final RedisTier tier;
  private final CacheMeters meters;
  private final byte[] prefix;
  private final byte[] channel;
  private final long waitNanos;

  L2Access(RedisTier tier, CacheMeters meters, String cache) {
    this.tier = tier;
    this.meters = meters;
    this.prefix = ("chimera:" + cache + ":").getBytes(StandardCharsets.UTF_8);
    this.channel = Coherence.channel(cache).getBytes(StandardCharsets.UTF_8);
    this.waitNanos = tier.waitNanos();
  }

  /** The Redis key of an encoded cache key: {@code chimera:<cache>:<key>}. */
  byte[] key(byte[] encodedKey) {
    byte[] k = new byte[prefix.length + encodedKey.length];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    System.arraycopy(encodedKey, 0, k, prefix.length, encodedKey.length);
    return k;
  }

  boolean usable() {
    return tier.usable();
  }

  /** GET; success is recorded by the caller once the bytes decode (or do not). */
  CompletableFuture<byte @Nullable []> get(byte[] key) {
    return run(GET, c -> c.async().get(key), false);
  }

  /** MGET, split by hash slot by Lettuce on Cluster; success recorded by the caller. */
  CompletableFuture<List<KeyValue<byte[], byte[]>>> mget(byte[][] keys) {
    return run(MGET, c -> c.async().mget(keys), false);
  }

  CompletableFuture<String> set(byte[] key, byte[] value, long ttlMillis, boolean ifAbsent) {
    SetArgs args = SetArgs.Builder.px(Math.max(1, ttlMillis));
    if (ifAbsent) {
      args.nx();
    }
    return run(SET, c -> c.async().set(key, value, args), true);
  }

  /**
   * SET NX PX of several keys written to the connection in one flush; completes once every reply is
   * in (failed if any failed).
   */
  CompletableFuture<Void> setAllIfAbsent(List<byte[]> keys, List<byte[]> values, long[] ttls) {
    return run(
        PIPELINE,
        c -> {
          List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(keys.size());
          CompletableFuture<?>[] futures = new CompletableFuture<?>[keys.size()];
          for (int i = 0; i < keys.size(); i++) {
            CommandArgs<byte[], byte[]> args =
                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                    .addKey(keys.get(i))
                    .addValue(values.get(i))
                    .add("PX")
                    .add(Math.max(1, ttls[i]))
                    .add("NX");
            AsyncCommand<byte[], byte[], String> command =
                new AsyncCommand<>(
                    new Command<>(
                        CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE), args));
            commands.add(command);
            futures[i] = command;
          }
          c.command().dispatch(commands);
          return CompletableFuture.allOf(futures).orTimeout(waitNanos, TimeUnit.NANOSECONDS);
        },
        true);
  }

  CompletableFuture<Long> del(byte[] key) {
    return run(DEL, c -> c.async().del(key), true);
  }

  /** One DEL of several keys (split by hash slot by Lettuce on Cluster). */
  CompletableFuture<Long> delAll(byte[][] keys) {
    return run(DEL, c -> c.async().del(keys), true);
  }

  CompletableFuture<Long> publish(byte[] message) {
    return run(PUBLISH, c -> c.async().publish(channel, message), true);
  }

  /** Publishes on another channel of this cache (an instance's confirmation channel). */
  CompletableFuture<Long> publish(String otherChannel, byte[] message) {
    byte[] ch = otherChannel.getBytes(StandardCharsets.UTF_8);
    return run(PUBLISH, c -> c.async().publish(ch, message), true);
  }

  /** Removes every key of this cache from Redis, page by page; blocks; true if all went. */
  boolean clear() {
    byte[] pattern = new byte[prefix.length + 1];
    System.arraycopy(prefix, 0, pattern, 0, prefix.length);
    pattern[prefix.length] = '*';
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_PAGE);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> page =
          await(
              run(
                  SCAN,
                  c -> {
                    CompletionStage<KeyScanCursor<byte[]>> s =
                        from == ScanCursor.INITIAL
                            ? c.async().scan(args)
                            : c.async().scan(from, args);
                    return s;
                  },
                  true));
      if (page == null) {
        return false;
      }
      List<byte[]> keys = page.getKeys();
      if (!keys.isEmpty()) {
        Long removed = await(run(DEL, c -> c.async().unlink(keys.toArray(new byte[0][])), true));
        if (removed == null) {
          return false;
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return true;
  }

  /** Waits for a command; null if it failed, timed out or was refused (already counted). */
  <T> @Nullable T await(CompletableFuture<T> future) {
    try {
      return future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return null;
    }
  }

  /** True if the command completed normally. */
  boolean ok(CompletableFuture<?> future) {
    return ok(future, 1);
  }

  /** True if {@code future}, a chain of {@code commands} commands, completed normally. */
  boolean ok(CompletableFuture<?> future, int commands) {
    try {
      future.get(commands * waitNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return false;
    }
  }

  private <T> CompletableFuture<T> run(
      int op,
      Function<RedisTier.Connections, ? extends CompletionStage<T>> command,
      boolean recordSuccess) {
    long start = System.nanoTime();
    return tier.execute(command)
        .whenComplete(
            (value, error) -> {
              if (error != null) {
                int outcome = outcomeOf(error);
                meters.l2(op, outcome, start);
                if (outcome != NOT_PERMITTED) {
                  tier.noteFailure(OP_NAMES[op], unwrap(error));
                }
              } else if (recordSuccess) {
                meters.l2(op, SUCCESS, start);
              }
            });
  }

  static int outcomeOf(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof BreakerOpenException || t instanceof RedisTier.NotConnectedException) {
      return NOT_PERMITTED;
    }
    if (t instanceof RedisCommandTimeoutException
        || t instanceof ProviderTimeoutException
        || t instanceof TimeoutException) {
      return TIMEOUT;
    }
    return FAILURE;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }
}
