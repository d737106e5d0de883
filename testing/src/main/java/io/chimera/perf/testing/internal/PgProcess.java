package io.chimera.perf.testing.internal;

import io.chimera.perf.testing.FixtureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * PostgreSQL from zonky's binaries artifact, run directly (initdb, then {@code postgres} as our
 * child process, so SIGKILL reaches the postmaster itself). PostgreSQL refuses to run as root; when
 * this JVM is root, every PostgreSQL command runs as uid/gid 65534 (nobody/nogroup) through {@code
 * setpriv} from util-linux, with the data directory owned by that user.
 */
public final class PgProcess implements Backend {
  /** The superuser created by initdb. */
  public static final String USER = "postgres";

  /** Its password (scram-sha-256). */
  public static final String PASSWORD = "postgres";

  private static final int NOBODY = 65534;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path home;
  private final Path base;
  private final Path data;
  private final int port;
  private final List<String> runAs;
  private ManagedProcess process;
  private boolean closed;

  private PgProcess(Path home, Path base, int port, List<String> runAs) {
    this.home = home;
    this.base = base;
    this.data = base.resolve("data");
    this.port = port;
    this.runAs = runAs;
  }

  /**
   * Creates a cluster in a temporary directory and starts it on a free loopback port.
   *
   * @throws FixtureException if initdb or the server fails
   */
  public static PgProcess launch() {
    Path home = Binaries.postgresHome();
    boolean root = Env.isRoot();
    List<String> runAs =
        root
            ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--")
            : List.of();
    PgProcess pg;
    try {
      Path base = Files.createTempDirectory("chimera-pg-");
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
      pg = new PgProcess(home, base, Ports.freePort(), runAs);
    } catch (IOException e) {
      throw new FixtureException("cannot create a directory for PostgreSQL", e);
    }
    try {
      pg.initdb(root);
      pg.start();
      return pg;
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  private void initdb(boolean root) {
    try {
      Files.createDirectory(data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      Path pw = base.resolve("pw");
      Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
      if (root) {
        Files.setAttribute(data, "unix:uid", NOBODY);
        Files.setAttribute(data, "unix:gid", NOBODY);
      }
      List<String> command = new ArrayList<>(runAs);
      command.addAll(
          List.of(
              home.resolve("bin/initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              USER,
              "--pwfile=" + pw,
              "-A",
              "scram-sha-256",
              "-E",
              "UTF8",
              "--no-locale",
              "--no-sync"));
      ManagedProcess.run("initdb", command, base.resolve("initdb.log"), Duration.ofMinutes(2));
      Files.delete(pw);
    } catch (IOException e) {
      throw new FixtureException("cannot prepare the PostgreSQL data directory " + data, e);
    }
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public boolean controllable() {
    return true;
  }

  /** The JDBC URL of the {@code postgres} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>(runAs);
    command.addAll(
        List.of(
            home.resolve("bin/postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=200",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off"));
    process = ManagedProcess.start("postgres:" + port, command, base.resolve("postgres.log"));
    awaitReady(process, jdbcUrl(), USER, PASSWORD, READY_TIMEOUT);
  }

  /**
   * Polls {@code select 1} until it answers.
   *
   * @throws FixtureException if the process dies or the deadline passes
   */
  public static void awaitReady(
      ManagedProcess process, String url, String user, String password, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "2");
    props.setProperty("loginTimeout", "2");
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new FixtureException(
            "PostgreSQL at " + url + " exited during start\n" + process.logTail());
      }
      try (Connection c = DriverManager.getConnection(url, props)) {
        if (c.isValid(2)) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      RedisProcess.pause();
    }
    if (process != null) {
      process.kill();
    }
    throw new FixtureException(
        "PostgreSQL at "
            + url
            + " not ready after "
            + timeout
            + ": "
            + last
            + (process == null ? "" : "\n" + process.logTail()),
        last);
  }

  /** Fast shutdown (SIGINT: clients are disconnected, transactions rolled back). */
  @Override
  public synchronized void stop() {
    if (isRunning()) {
      process.signal("INT");
      process.awaitExitOrKill(Duration.ofSeconds(30));
    }
  }

  @Override
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process != null) {
      process.kill();
    }
    Binaries.deleteQuietly(base);
  }

  @Override
  public String describe() {
    return "embedded PostgreSQL on 127.0.0.1:" + port + (runAs.isEmpty() ? "" : " (as nobody)");
  }
}
