package io.chimera.perf.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which connections a sibling's connection loss casts doubt on: only those last known good before
 * it, so that the replacements opened since (and connections that passed a check since) are
 * borrowed without a round trip. No server: the physical connections are fakes that answer {@code
 * isValid}.
 */
class JdbcEngineDoubtTest {
  private JdbcEngine engine;
  private boolean valid = true;

  @BeforeEach
  void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
    JdbcPools.Builder b = JdbcPools.builder(config).suspectWindow(Duration.ofHours(1));
    engine = new JdbcEngine(b, config, "doubt");
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private TrackedConnection connection() {
    Connection fake =
        (Connection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "isValid" -> valid;
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      default -> null;
                    });
    return new TrackedConnection(fake, null, engine);
  }

  /** Lets System.nanoTime move on, so that "before" and "after" the failure are distinct times. */
  private static void tick() {
    long t = System.nanoTime();
    while (System.nanoTime() == t) {
      Thread.onSpinWait();
    }
  }

  @Test
  void nothingIsDoubtedBeforeAnyFailure() {
    assertThat(engine.doubts(connection(), System.nanoTime())).isFalse();
  }

  @Test
  void aSiblingsLossDoubtsConnectionsOpenedBeforeItButNotTheReplacements() {
    TrackedConnection old = connection();
    engine.siblingFailed();
    tick();
    TrackedConnection replacement = connection();
    long now = System.nanoTime();
    assertThat(engine.doubts(old, now)).isTrue();
    assertThat(engine.doubts(replacement, now)).isFalse();
  }

  @Test
  void aConnectionThatPassedACheckSinceTheFailureIsNoLongerDoubted() {
    TrackedConnection old = connection();
    engine.siblingFailed();
    tick();
    assertThat(old.check(1)).isTrue();
    assertThat(engine.doubts(old, System.nanoTime())).isFalse();
  }

  @Test
  void aConnectionThatFailsItsCheckIsMarkedBrokenAndStaysDoubted() {
    TrackedConnection old = connection();
    engine.siblingFailed();
    valid = false;
    assertThat(old.check(1)).isFalse();
    assertThat(old.broken).isTrue();
    assertThat(engine.doubts(old, System.nanoTime())).isTrue();
  }

  @Test
  void doubtEndsWithTheSuspectWindow() {
    TrackedConnection old = connection();
    engine.siblingFailed();
    long afterTheWindow = System.nanoTime() + Duration.ofHours(2).toNanos();
    assertThat(engine.doubts(old, afterTheWindow)).isFalse();
  }
}
