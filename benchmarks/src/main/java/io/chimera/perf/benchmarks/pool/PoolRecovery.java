package io.chimera.perf.benchmarks.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.chimera.perf.pool.JdbcPool;
import io.chimera.perf.pool.JdbcPools;
import io.chimera.perf.testing.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The {@code chimera-bench pool-recovery} run: the outage scenario of issue #5 against a real
 * PostgreSQL, for {@link JdbcPools} and for a raw {@link HikariDataSource} with the same settings,
 * one after the other on the same server. Four callers run {@code select 1} at about 380 calls/s
 * through a pool of 10; then every backend of the pool is terminated, then the server is stopped
 * for a few seconds and started again. Printed per pool: calls that failed after the terminate
 * command returned and after the killed backends had exited (PostgreSQL signals them; they exit a
 * few milliseconds later), the time until 10 live backends serve the pool again and until the pool
 * holds 10 (HikariCP adds connections one at a time, 30 ms apart, whoever opens them; {@link
 * JdbcPools} swaps fresh connections under HikariCP's entries for dead idle ones instead), the mean
 * borrow cost after the kill, how fast a borrow fails while the server is down, and how long after
 * the server accepts connections again the first call succeeds. First, as the floor any refill is
 * bounded by, the time the server takes to accept 10 connections opened at once by the raw driver.
 *
 * <p>A measurement on a real server and real processes, so it lives in the harness, not in a test:
 * it takes about half a minute and its numbers depend on the machine.
 */
public final class PoolRecovery {
  private static final int POOL_SIZE = 10;
  private static final int CALLERS = 4;
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long CONNECTION_TIMEOUT_MS = 2_000;
  private static final long OUTAGE_NANOS = TimeUnit.SECONDS.toNanos(4);
  private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private PoolRecovery() {}

  /** What one pool did. Times in nanoseconds, -1 when it never happened within the patience. */
  record Result(
      String pool,
      int failedAfterSignal,
      int callsAfterKill,
      int failedAfterKill,
      long refillNanos,
      long pooledNanos,
      double meanBorrowNanos,
      long p50BorrowNanos,
      int outageFailures,
      long outageFailP50Nanos,
      long outageFailMaxNanos,
      long firstSuccessNanos) {}

  /**
   * Runs the scenario on an embedded PostgreSQL (or the one {@code CHIMERA_PG_URL} names, if it can
   * be stopped and started) and prints a table.
   *
   * @param args unused
   * @return 0, or 2 if the server cannot be controlled
   * @throws Exception if the server cannot be started
   */
  public static int run(String[] args) throws Exception {
    // the pools log every killed connection with its stack trace; the table says it all
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    try (PostgresServer pg = PostgresServer.launch()) {
      if (!pg.controllable()) {
        System.err.println("pool-recovery needs a PostgreSQL it can stop and start");
        return 2;
      }
      long floor = parallelConnectNanos(pg);
      List<Result> results = new ArrayList<>();
      results.add(measure(pg, "chimera", true));
      results.add(measure(pg, "hikari", false));
      print(results, System.out);
      System.out.println(
          "the server's floor for a refill: "
              + POOL_SIZE
              + " connections opened at once by the raw driver took "
              + millis(floor)
              + " (median of 3)");
    }
    return 0;
  }

  private static Result measure(PostgresServer pg, String name, boolean ours) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername(pg.user());
    config.setPassword(pg.password());
    config.setPoolName(name);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    config.addDataSourceProperty("ApplicationName", name);
    DataSource ds;
    AutoCloseable closer;
    HikariPoolMXBean stats;
    if (ours) {
      JdbcPool pool =
          JdbcPools.builder(config)
              .meterRegistry(new SimpleMeterRegistry())
              .provider("postgres")
              .build();
      ds = pool;
      closer = pool;
      stats = pool.poolStats();
    } else {
      HikariDataSource pool = new HikariDataSource(config);
      ds = pool;
      closer = pool;
      stats = pool.getHikariPoolMXBean();
    }
    Load load = new Load(ds, name);
    try {
      long signalled;
      long exited;
      long refilled;
      long pooled;
      // one monitoring connection, opened before the scenario: a poll must not cost a connect
      try (Connection monitor = pg.connect()) {
        await(() -> live(monitor, name, List.of()) >= POOL_SIZE, "the pool to fill");
        load.start();
        TimeUnit.SECONDS.sleep(1);
        List<Integer> victims = pids(monitor, name);
        terminate(monitor, name);
        signalled = System.nanoTime();
        await(() -> alive(monitor, victims) == 0, "the terminated backends to exit");
        exited = System.nanoTime();
        refilled = awaitNanos(() -> live(monitor, name, victims) >= POOL_SIZE);
        pooled = awaitNanos(() -> stats.getTotalConnections() >= POOL_SIZE);
      }
      TimeUnit.SECONDS.sleep(1);
      List<Call> afterKill = load.since(exited);
      int failedAfterSignal = (int) load.since(signalled).stream().filter(c -> !c.ok).count();

      pg.stop();
      long stopped = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(OUTAGE_NANOS);
      pg.start();
      long up = System.nanoTime();
      long firstSuccess = awaitNanos(() -> load.firstSuccessAfter(up) > 0);
      List<Call> outage = load.between(stopped + TimeUnit.SECONDS.toNanos(1), up);
      load.stop();

      long[] borrowNanos =
          afterKill.stream().filter(c -> c.ok).mapToLong(c -> c.borrowed - c.start).toArray();
      long[] failNanos =
          outage.stream().filter(c -> !c.ok).mapToLong(c -> c.end - c.start).sorted().toArray();
      return new Result(
          name,
          failedAfterSignal,
          afterKill.size(),
          (int) afterKill.stream().filter(c -> !c.ok).count(),
          refilled < 0 ? -1 : refilled - exited,
          pooled < 0 ? -1 : pooled - exited,
          Arrays.stream(borrowNanos).average().orElse(0),
          median(borrowNanos),
          failNanos.length,
          failNanos.length == 0 ? -1 : failNanos[failNanos.length / 2],
          failNanos.length == 0 ? -1 : failNanos[failNanos.length - 1],
          firstSuccess < 0 ? -1 : load.firstSuccessAfter(up) - up);
    } finally {
      load.stop();
      closer.close();
    }
  }

  private static void print(List<Result> results, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "pool-recovery: %d callers at ~%d calls/s, pool of %d, connection timeout %d ms,"
            + " outage %d s%n%n",
        CALLERS,
        CALLERS * TimeUnit.SECONDS.toNanos(1) / PAUSE_NANOS,
        POOL_SIZE,
        CONNECTION_TIMEOUT_MS,
        TimeUnit.NANOSECONDS.toSeconds(OUTAGE_NANOS));
    out.printf(
        Locale.ROOT,
        "%-8s %19s %18s %20s %26s %26s %21s%n",
        "pool",
        "failed after signal",
        "failed after exit",
        "10 live / 10 pooled",
        "borrow after kill mean/p50",
        "borrow while down p50/max",
        "first ok after start");
    for (Result r : results) {
      out.printf(
          Locale.ROOT,
          "%-8s %19s %18s %20s %26s %26s %21s%n",
          r.pool(),
          r.failedAfterSignal(),
          r.failedAfterKill() + " of " + r.callsAfterKill(),
          millis(r.refillNanos()) + " / " + millis(r.pooledNanos()),
          String.format(
              Locale.ROOT,
              "%.1f us / %.1f us",
              r.meanBorrowNanos() / 1_000,
              r.p50BorrowNanos() / 1_000.0),
          millis(r.outageFailP50Nanos()) + " / " + millis(r.outageFailMaxNanos()),
          millis(r.firstSuccessNanos()));
    }
    out.println();
    out.println(
        "targets (issue #5): no failure after the kill, refill to 10 within ~100 ms, borrows"
            + " failing well under 1 ms while down, first call within ~250 ms of the restart");
  }

  /**
   * How long the server takes to accept a whole pool's worth of connections opened at once through
   * the raw driver, no pool involved: no refill can be faster than this.
   */
  private static long parallelConnectNanos(PostgresServer pg) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(POOL_SIZE);
    try {
      long[] rounds = new long[3];
      for (int r = 0; r < rounds.length; r++) {
        List<Future<Connection>> opening = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < POOL_SIZE; i++) {
          opening.add(threads.submit(pg::connect));
        }
        List<Connection> opened = new ArrayList<>();
        for (Future<Connection> f : opening) {
          opened.add(f.get());
        }
        rounds[r] = System.nanoTime() - start;
        for (Connection c : opened) {
          c.close();
        }
      }
      return median(rounds);
    } finally {
      threads.shutdownNow();
    }
  }

  private static long median(long[] values) {
    Arrays.sort(values);
    return values.length == 0 ? -1 : values[values.length / 2];
  }

  private static String millis(long nanos) {
    if (nanos < 0) {
      return "never";
    }
    return nanos < 1_000_000
        ? String.format(Locale.ROOT, "%.3f ms", nanos / 1e6)
        : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }

  // ---- the server side ---------------------------------------------------------------------

  private static List<Integer> pids(Connection monitor, String app) throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (PreparedStatement s =
        monitor.prepareStatement(
            "select pid from pg_stat_activity where application_name = ?"
                + " and backend_type = 'client backend'")) {
      s.setString(1, app);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getInt(1));
        }
      }
    }
    return pids;
  }

  private static int live(Connection monitor, String app, List<Integer> excluding) {
    try {
      List<Integer> now = pids(monitor, app);
      now.removeAll(excluding);
      return now.size();
    } catch (SQLException e) {
      return -1;
    }
  }

  private static int alive(Connection monitor, List<Integer> pids) {
    try (Statement s = monitor.createStatement();
        ResultSet rs = s.executeQuery("select pid from pg_stat_activity")) {
      List<Integer> now = new ArrayList<>();
      while (rs.next()) {
        now.add(rs.getInt(1));
      }
      now.retainAll(pids);
      return now.size();
    } catch (SQLException e) {
      return -1;
    }
  }

  private static void terminate(Connection monitor, String app) throws SQLException {
    try (PreparedStatement s =
        monitor.prepareStatement(
            "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                + " where application_name = ? and backend_type = 'client backend'")) {
      s.setString(1, app);
      s.executeQuery().close();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    if (awaitNanos(condition) < 0) {
      throw new IllegalStateException("gave up waiting for " + what);
    }
  }

  /** Polls every millisecond; the time it became true, or -1 after the patience. */
  private static long awaitNanos(BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE_NANOS;
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return -1;
  }

  // ---- the callers -------------------------------------------------------------------------

  /** One call: when it started, when the borrow returned, when it ended, whether it worked. */
  record Call(long start, long borrowed, long end, boolean ok) {}

  /** {@link #CALLERS} threads running {@code select 1} with a pause between calls. */
  private static final class Load {
    private final DataSource ds;
    private final Thread[] threads = new Thread[CALLERS];
    private final List<Call> calls = new ArrayList<>();
    private volatile boolean running;

    Load(DataSource ds, String name) {
      this.ds = ds;
      for (int i = 0; i < CALLERS; i++) {
        threads[i] = new Thread(this::loop, "pool-recovery-" + name + "-" + i);
        threads[i].setDaemon(true);
      }
    }

    void start() {
      running = true;
      for (Thread t : threads) {
        t.start();
      }
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        if (t.isAlive()) {
          t.join(TimeUnit.SECONDS.toMillis(10));
        }
      }
    }

    private void loop() {
      while (running) {
        long start = System.nanoTime();
        long borrowed = start;
        boolean ok;
        try (Connection c = ds.getConnection()) {
          borrowed = System.nanoTime();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select 1")) {
            ok = rs.next() && rs.getInt(1) == 1;
          }
        } catch (SQLException e) {
          ok = false;
        }
        Call call = new Call(start, borrowed, System.nanoTime(), ok);
        synchronized (calls) {
          calls.add(call);
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    }

    List<Call> since(long from) {
      return between(from, Long.MAX_VALUE);
    }

    /** Calls that started in {@code [from, to)}. */
    List<Call> between(long from, long to) {
      synchronized (calls) {
        return calls.stream().filter(c -> c.start - from >= 0 && c.start - to < 0).toList();
      }
    }

    /**
     * When the first call to succeed at or after {@code from} (whenever it started) ended, or -1.
     */
    long firstSuccessAfter(long from) {
      synchronized (calls) {
        return calls.stream()
            .filter(c -> c.ok && c.end - from >= 0)
            .mapToLong(Call::end)
            .min()
            .orElse(-1);
      }
    }
  }
}
