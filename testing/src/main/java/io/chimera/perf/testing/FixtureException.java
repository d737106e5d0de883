package io.chimera.perf.testing;

/**
 * Thrown when a test fixture cannot be started, stopped or reached: a binary that fails to extract
 * or launch, a server that does not become ready before its deadline, a port that cannot be bound.
 * The message says which fixture, what was attempted and, where there is one, the tail of the
 * server's log.
 */
public final class FixtureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the fixture
   */
  public FixtureException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, naming the fixture
   * @param cause the underlying failure
   */
  public FixtureException(String message, Throwable cause) {
    super(message, cause);
  }
}
