package io.chimera.perf.pool;

import com.zaxxer.hikari.HikariConfig;
import io.chimera.perf.pool.internal.CapturingSocketFactory;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Opens one physical connection, through the user's {@link DataSource} or the JDBC {@link Driver}
 * of the URL, with the configured properties plus user and password. For PostgreSQL (unless the
 * user set a socket factory) it installs {@link CapturingSocketFactory} to keep each connection's
 * socket, so a dead idle connection can be told by its socket without a round trip. Holds no state
 * after construction: counting, tracking and outage handling are {@link JdbcEngine}'s.
 */
final class JdbcConnector {
  private final String jdbcUrl;
  private final Properties baseProperties;
  private final DataSource userSource;
  private final Driver driver;
  private final boolean captureSockets;

  /**
   * @throws SQLException if no driver accepts the JDBC URL
   */
  JdbcConnector(HikariConfig config) throws SQLException {
    this.userSource = config.getDataSource();
    this.jdbcUrl = config.getJdbcUrl();
    Properties props = new Properties();
    props.putAll(config.getDataSourceProperties());
    this.captureSockets =
        userSource == null
            && jdbcUrl != null
            && jdbcUrl.startsWith("jdbc:postgresql:")
            && !props.containsKey("socketFactory");
    if (captureSockets) {
      props.setProperty("socketFactory", CapturingSocketFactory.class.getName());
    }
    this.baseProperties = props;
    this.driver = userSource == null ? DriverManager.getDriver(jdbcUrl) : null;
  }

  /** Opens a connection for {@code engine}; its socket is kept when it can be. */
  TrackedConnection connect(String user, String password, JdbcEngine engine) throws SQLException {
    Connection raw;
    Socket socket = null;
    if (userSource != null) {
      raw = user == null ? userSource.getConnection() : userSource.getConnection(user, password);
    } else {
      Properties p = new Properties();
      p.putAll(baseProperties);
      if (user != null) {
        p.setProperty("user", user);
      }
      if (password != null) {
        p.setProperty("password", password);
      }
      if (captureSockets) {
        CapturingSocketFactory.forget();
      }
      raw = driver.connect(jdbcUrl, p);
      if (raw == null) {
        throw new SQLException("driver did not accept " + jdbcUrl, "08001");
      }
      if (captureSockets) {
        socket = CapturingSocketFactory.takeLast();
      }
    }
    return new TrackedConnection(raw, socket, engine);
  }
}
