package io.chimera.perf.pool;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A fake JDBC driver for tests without a server: physical connections that log their calls as
 * {@code name[args]}, answer with defaults (valid, auto-commit, read committed), and fail
 * validation once put in {@link #dead}; a data source that fails while {@link #unreachable} is set.
 */
final class FakeJdbc {
  /** Every connection the data source opened, in order. */
  final List<Connection> opened = new CopyOnWriteArrayList<>();

  /** Connections whose {@code isValid} answers false. */
  final Set<Connection> dead = ConcurrentHashMap.newKeySet();

  /** When set, what every new connection attempt fails with (the database is down). */
  volatile SQLException unreachable;

  /** A data source whose every {@code getConnection} opens a new fake connection. */
  DataSource dataSource() {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "getConnection" -> {
                  SQLException down = unreachable;
                  if (down != null) {
                    throw down;
                  }
                  Connection c = connection(Collections.synchronizedList(new ArrayList<>()), "");
                  opened.add(c);
                  return c;
                }
                case "hashCode" -> {
                  return System.identityHashCode(proxy);
                }
                case "equals" -> {
                  return proxy == args[0];
                }
                default -> {
                  return defaultFor(method.getReturnType());
                }
              }
            });
  }

  /**
   * A connection that logs every call but the Object methods into {@code log}, and throws on calls
   * of the method named {@code refuse}. It is its own statement.
   */
  Connection connection(List<String> log, String refuse) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class, Statement.class},
            (proxy, method, args) -> {
              String name = method.getName();
              switch (name) {
                case "hashCode" -> {
                  return System.identityHashCode(proxy);
                }
                case "equals" -> {
                  return proxy == args[0];
                }
                case "toString" -> {
                  return "fake@" + Integer.toHexString(System.identityHashCode(proxy));
                }
                default -> {
                  // recorded below
                }
              }
              log.add(name + (args == null ? "()" : Arrays.toString(args)));
              if (name.equals(refuse)) {
                throw new SQLException("refused " + name, "0A000");
              }
              return switch (name) {
                case "isValid" -> !dead.contains((Connection) proxy);
                case "getAutoCommit" -> true;
                case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
                case "createStatement" -> proxy;
                default -> defaultFor(method.getReturnType());
              };
            });
  }

  private static Object defaultFor(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return null;
  }
}
