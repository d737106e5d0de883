package io.chimera.perf.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The command-line tools some integration tests need (the reference codecs, {@code prometheus},
 * {@code openssl}). {@code .ci/run} installs them all; on another machine a test whose tool is
 * missing is skipped with the command that installs it, and under {@code CI=true} it fails instead.
 */
public final class CommandLineTools {

  private CommandLineTools() {}

  /**
   * Finds an executable on the {@code PATH}.
   *
   * @param name the command, e.g. {@code openssl}
   * @return its path, or empty if no {@code PATH} entry has it
   */
  public static Optional<Path> find(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Returns a tool the calling test needs: skips the test if it is missing (fails it under {@code
   * CI=true}, where {@code .ci/run} should have installed it).
   *
   * @param name the command
   * @param debianPackage the Debian package that installs it
   * @return its path
   */
  public static Path require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    String reason =
        "'" + name + "' is not on PATH; install it with: apt-get install " + debianPackage;
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(reason + " (CI=true, so this is a failure, not a skip)");
    }
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }
}
