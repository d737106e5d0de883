package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.PerClass;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link PostgresServer} (from {@link PostgresServer#launch()}) into test constructors
 * and methods. Each test class gets its own, started on first use and closed after the class, so a
 * test that kills the server cannot break the next class; classes running in parallel get different
 * ports and data directories.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class JdbcPoolIT {
 *   @Test
 *   void evictsTerminatedConnections(PostgresServer pg) throws SQLException {
 *     pg.terminateAllBackends();
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class PostgresExtension implements ParameterResolver {
  /** Created by JUnit through {@code @ExtendWith}. */
  public PostgresExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return PerClass.get(context, PostgresServer.class, PostgresServer::launch);
  }
}
