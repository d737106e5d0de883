package io.chimera.perf.testing.internal;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One fixture per test class: kept in the class-level extension context's store, started on first
 * use and closed (JUnit closes {@link AutoCloseable} store values) when the class is done.
 */
public final class PerClass {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PerClass.class);

  private PerClass() {}

  /** The fixture of {@code type} for the test class of {@code context}, started if need be. */
  public static <T extends AutoCloseable> T get(
      ExtensionContext context, Class<T> type, Supplier<T> launcher) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(type, unused -> launcher.get(), type);
  }
}
