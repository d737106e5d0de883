package io.chimera.perf.testing;

import io.chimera.perf.testing.internal.PerClass;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link RedisServer} (from {@link RedisServer#launch()}) or a {@link RedisCluster} (from
 * {@link RedisCluster#launch()}) into test constructors and methods. Each test class gets its own,
 * started on first use and closed after the class, so a test that kills the server cannot break the
 * next class; classes running in parallel get different ports.
 *
 * <pre>{@code
 * @ExtendWith(RedisExtension.class)
 * class CacheIT {
 *   @Test
 *   void survivesRedisDown(RedisServer redis) {
 *     redis.kill();
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class RedisExtension implements ParameterResolver {
  /** Created by JUnit through {@code @ExtendWith}. */
  public RedisExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == RedisServer.class || type == RedisCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == RedisCluster.class) {
      return PerClass.get(context, RedisCluster.class, RedisCluster::launch);
    }
    return PerClass.get(context, RedisServer.class, RedisServer::launch);
  }
}
