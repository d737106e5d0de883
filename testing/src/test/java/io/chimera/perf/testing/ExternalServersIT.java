package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CHIMERA_*_URL path (read from a system property of the same name, which wins over the
 * environment), pointed at real local servers; and faults seen through JDBC.
 */
@ExtendWith({RedisExtension.class, PostgresExtension.class})
class ExternalServersIT {

  @AfterEach
  void clearProperties() {
    System.clearProperty("CHIMERA_REDIS_URL");
    System.clearProperty("CHIMERA_POSTGRES_URL");
  }

  @Test
  void externalRedisIsUsableButNotControllable(RedisServer local) {
    System.setProperty("CHIMERA_REDIS_URL", local.uri());
    try (RedisServer external = RedisServer.launch()) {
      assertThat(external.controllable()).isFalse();
      assertThat(external.uri()).isEqualTo(local.uri());
      assertThat(external.isRunning()).isTrue();
      external.flushAll();
      assertThatThrownBy(external::kill)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("external")
          .hasMessageContaining("CHIMERA_REDIS_URL");
      assertThatThrownBy(external::restart).isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(local.isRunning()).isTrue();
  }

  @Test
  void badRedisUrlIsRejected() {
    System.setProperty("CHIMERA_REDIS_URL", "http://nowhere");
    assertThatThrownBy(RedisServer::launch)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis://host:port");
  }

  @Test
  void externalPostgresIsUsableButNotControllable(PostgresServer local) throws SQLException {
    System.setProperty(
        "CHIMERA_POSTGRES_URL",
        local.jdbcUrl() + "?user=" + local.user() + "&password=" + local.password());
    try (PostgresServer external = PostgresServer.launch();
        Connection c = external.connect()) {
      assertThat(external.controllable()).isFalse();
      assertThat(external.port()).isEqualTo(local.port());
      assertThat(PostgresServerIT.selectOne(c)).isEqualTo(1);
      assertThatThrownBy(external::stop)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("CHIMERA_POSTGRES_URL");
    }
    assertThat(local.isRunning()).isTrue();
  }

  @Test
  void postgresUrlWithoutCredentialsIsRejected() {
    System.setProperty("CHIMERA_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/db");
    assertThatThrownBy(PostgresServer::launch)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user and password");
  }

  @Test
  void proxyResetAndCloseAreSeenByJdbc(PostgresServer pg) throws SQLException {
    try (FaultProxy proxy = FaultProxy.start(pg.host(), pg.port())) {
      String url = "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/postgres";
      try (Connection c = java.sql.DriverManager.getConnection(url, pg.user(), pg.password())) {
        assertThat(PostgresServerIT.selectOne(c)).isEqualTo(1);
        proxy.resetConnections();
        assertThatThrownBy(() -> PostgresServerIT.selectOne(c))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
      }
      proxy.passThrough();
      try (Connection c = java.sql.DriverManager.getConnection(url, pg.user(), pg.password())) {
        proxy.closeAllConnections();
        assertThatThrownBy(() -> PostgresServerIT.selectOne(c))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).startsWith("08"));
      }
    }
  }
}
