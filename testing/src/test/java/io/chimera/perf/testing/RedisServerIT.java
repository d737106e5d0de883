package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisServerIT {
  private final RedisServer redis;
  private RedisClient client;

  RedisServerIT(RedisServer redis) {
    this.redis = redis;
  }

  private RedisCommands<String, String> connect() {
    RedisURI uri = RedisURI.create(redis.uri());
    uri.setTimeout(Duration.ofSeconds(2));
    client = RedisClient.create(uri);
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    StatefulRedisConnection<String, String> connection = client.connect();
    return connection.sync();
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (redis.controllable() && !redis.isRunning()) {
      redis.start();
    }
  }

  @Test
  void answersPingSetAndGetOnLoopback() {
    RedisCommands<String, String> redisCommands = connect();
    assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
    assertThat(redisCommands.ping()).isEqualTo("PONG");
    redisCommands.set("fixture:key", "value");
    assertThat(redisCommands.get("fixture:key")).isEqualTo("value");
  }

  @Test
  void killedServerFailsCommandsAndRestartsOnTheSamePort() {
    RedisCommands<String, String> commands = connect();
    int port = redis.port();
    redis.kill();
    assertThat(redis.isRunning()).isFalse();
    assertThatThrownBy(commands::ping).isInstanceOf(RedisException.class);

    redis.start();
    assertThat(redis.port()).isEqualTo(port);
    assertThat(redis.isRunning()).isTrue();
    assertThat(awaitPing(commands)).isEqualTo("PONG");
  }

  @Test
  void stoppedServerFailsCommandsAndRestartWorks() {
    RedisCommands<String, String> commands = connect();
    redis.stop();
    assertThatThrownBy(commands::ping).isInstanceOf(RedisException.class);
    redis.restart();
    assertThat(awaitPing(commands)).isEqualTo("PONG");
    redis.restart();
    assertThat(awaitPing(commands)).isEqualTo("PONG");
  }

  /** Lettuce reconnects in the background; poll until it has. */
  static String awaitPing(RedisCommands<String, String> commands) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return commands.ping();
      } catch (RedisException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }
}
