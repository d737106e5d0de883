package io.chimera.perf.testing.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How fixtures choose their backend: environment variables, Docker detection, the user. */
public final class Env {
  /** External Redis address, e.g. {@code redis://host:6379}. */
  public static final String REDIS_URL = "CHIMERA_REDIS_URL";

  /** External PostgreSQL JDBC URL with user and password parameters. */
  public static final String POSTGRES_URL = "CHIMERA_POSTGRES_URL";

  /** {@code auto} (default), {@code docker} or {@code embedded}: which local backend to use. */
  public static final String FIXTURES = "CHIMERA_FIXTURES";

  private static final Logger LOG = LoggerFactory.getLogger(Env.class);
  private static volatile Boolean docker;

  private Env() {}

  /** The value of an environment variable, or of the system property of the same name. */
  public static Optional<String> get(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /**
   * Whether a Docker engine answers and Testcontainers should be used. Cheap checks first
   * (DOCKER_HOST, the socket file), so Testcontainers is not touched on a machine without Docker.
   */
  public static boolean useDocker() {
    Boolean result = docker;
    if (result == null) {
      result = detectDocker();
      docker = result;
    }
    return result;
  }

  private static boolean detectDocker() {
    String mode = get(FIXTURES).orElse("auto").toLowerCase(Locale.ROOT);
    switch (mode) {
      case "embedded" -> {
        return false;
      }
      case "docker" -> {
        return true;
      }
      case "auto" -> {}
      default ->
          throw new IllegalArgumentException(
              FIXTURES + " must be auto, docker or embedded, was '" + mode + "'");
    }
    boolean hint =
        get("DOCKER_HOST").isPresent()
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
    if (!hint) {
      return false;
    }
    try {
      boolean available = Containers.dockerAvailable();
      LOG.info("Docker engine {}", available ? "answers: using Testcontainers" : "does not answer");
      return available;
    } catch (RuntimeException | LinkageError e) {
      LOG.info("Docker check failed, using embedded servers: {}", e.toString());
      return false;
    }
  }

  /** Whether this JVM runs as root (uid 0), for which PostgreSQL refuses to start. */
  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
