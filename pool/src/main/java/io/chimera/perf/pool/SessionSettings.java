package io.chimera.perf.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;

/**
 * The session settings made through one {@link TrackedConnection}'s JDBC setters, last value wins,
 * so that a fresh physical connection swapped in under it can be given the same ones.
 *
 * <p>HikariCP sets read-only, auto-commit, the network timeout, and (when configured) isolation,
 * catalog and schema on every connection it opens, and sets them back to the pool's defaults on
 * every return if the borrower changed them; an idle connection therefore always carries the last
 * values set through these setters. {@link #applyTo} replays them in HikariCP's own order: the
 * network timeout set to the validation timeout first (so no set-up round trip can hang), then the
 * settings, the pool's {@code connectionInitSql} after the catalog and schema, and the recorded
 * network timeout last. What a borrower changed by SQL ({@code SET ...}), temporary tables and
 * server-side prepared statements are not carried over: they died with the old physical connection,
 * as they would if HikariCP had replaced it.
 *
 * <p>Written only by the thread that holds the connection (HikariCP's borrower, or its setup and
 * reset on adding and returning it); HikariCP's hand-over of a pooled connection publishes it.
 */
final class SessionSettings {
  private static final int UNSET = Integer.MIN_VALUE;

  private Boolean readOnly;
  private Boolean autoCommit;
  private int isolation = UNSET;
  private boolean catalogSet;
  private String catalog;
  private boolean schemaSet;
  private String schema;
  private int holdability = UNSET;
  private Executor networkExecutor;
  private int networkTimeoutMs = UNSET;

  void readOnly(boolean value) {
    readOnly = value;
  }

  void autoCommit(boolean value) {
    autoCommit = value;
  }

  void isolation(int level) {
    isolation = level;
  }

  void catalog(String value) {
    catalogSet = true;
    catalog = value;
  }

  void schema(String value) {
    schemaSet = true;
    schema = value;
  }

  void holdability(int value) {
    holdability = value;
  }

  void networkTimeout(Executor executor, int millis) {
    networkExecutor = executor;
    networkTimeoutMs = millis;
  }

  /**
   * Gives {@code fresh} (a physical connection nobody else holds) the recorded settings.
   *
   * @param initSql the pool's {@code connectionInitSql}, or null
   * @param commitInitSql whether HikariCP would commit after it (internal queries isolated and
   *     auto-commit off)
   * @param setupTimeoutMs the network timeout for the set-up round trips (HikariCP's validation
   *     timeout), where the driver takes network timeouts
   * @throws SQLException if the connection refuses any of them; it is then not fit to be swapped in
   */
  void applyTo(Connection fresh, String initSql, boolean commitInitSql, int setupTimeoutMs)
      throws SQLException {
    if (networkTimeoutMs != UNSET) {
      fresh.setNetworkTimeout(networkExecutor, setupTimeoutMs);
    }
    if (readOnly != null) {
      fresh.setReadOnly(readOnly);
    }
    if (autoCommit != null) {
      fresh.setAutoCommit(autoCommit);
    }
    if (isolation != UNSET) {
      fresh.setTransactionIsolation(isolation);
    }
    if (catalogSet) {
      fresh.setCatalog(catalog);
    }
    if (schemaSet) {
      fresh.setSchema(schema);
    }
    if (holdability != UNSET) {
      fresh.setHoldability(holdability);
    }
    if (initSql != null) {
      try (Statement s = fresh.createStatement()) {
        s.execute(initSql);
      }
      if (commitInitSql) {
        fresh.commit();
      }
    }
    if (networkTimeoutMs != UNSET) {
      fresh.setNetworkTimeout(networkExecutor, networkTimeoutMs);
    }
  }
}
