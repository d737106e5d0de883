package io.chimera.perf.compression;

/**
 * Loads the native library behind a coding. Package-private so tests can simulate a platform where
 * a native library cannot load.
 */
@FunctionalInterface
interface NativeLoader {

  /**
   * Loads the native library for {@code coding}, or throws why it cannot.
   *
   * @throws LinkageError or RuntimeException when the library cannot load
   */
  void load(ContentCoding coding);

  /** The real loaders: brotli4j's and zstd-jni's. */
  NativeLoader DEFAULT =
      coding -> {
        switch (coding) {
          case BROTLI -> com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
          case ZSTD -> com.github.luben.zstd.util.Native.load();
          case GZIP, IDENTITY -> {}
        }
      };
}
