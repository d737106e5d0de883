package io.chimera.perf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresServerIT {

  static int selectOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @AfterEach
  void leaveTheServerRunning(PostgresServer pg) {
    if (!pg.isRunning()) {
      pg.start();
    }
  }

  @Test
  void answersSelectOneOverJdbc(PostgresServer pg) throws SQLException {
    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres");
    try (Connection c = pg.connect()) {
      assertThat(selectOne(c)).isEqualTo(1);
    }
  }

  @Test
  void killedServerBreaksConnectionsAndRestartsOnTheSamePortAndData(PostgresServer pg)
      throws SQLException {
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      // the fixture runs with synchronous_commit off for speed; a crash test must not lose the
      // commit it then checks for, so this session writes its WAL before acknowledging
      s.execute("set synchronous_commit = on");
      s.execute("create table if not exists survivor(id int)");
      s.execute("insert into survivor values (42)");
    }
    try (Connection c = pg.connect()) {
      pg.kill();
      assertThat(pg.isRunning()).isFalse();
      assertThatThrownBy(() -> selectOne(c))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).matches("57P01|08.*"));
    }
    int port = pg.port();
    pg.start();
    assertThat(pg.port()).isEqualTo(port);
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from survivor")) {
      assertThat(selectOne(c)).isEqualTo(1);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void stopAndRestartKeepTheServerUsable(PostgresServer pg) throws SQLException {
    pg.stop();
    assertThat(pg.isRunning()).isFalse();
    assertThatThrownBy(pg::connect).isInstanceOf(SQLException.class);
    pg.restart();
    try (Connection c = pg.connect()) {
      assertThat(selectOne(c)).isEqualTo(1);
    }
  }

  @Test
  void terminateAllBackendsBreaksAnotherOpenConnection(PostgresServer pg) throws SQLException {
    try (Connection victim = pg.connect()) {
      assertThat(selectOne(victim)).isEqualTo(1);
      assertThat(pg.terminateAllBackends()).isGreaterThanOrEqualTo(1);
      assertThatThrownBy(() -> selectOne(victim))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).matches("57P01|08.*"));
    }
    try (Connection c = pg.connect()) {
      assertThat(selectOne(c)).isEqualTo(1);
    }
  }
}
