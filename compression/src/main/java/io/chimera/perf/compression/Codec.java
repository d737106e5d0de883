package io.chimera.perf.compression;

import java.io.IOException;
import java.io.OutputStream;

/** One compressing content coding: one-shot and streaming. Implementations are thread-safe. */
interface Codec extends AutoCloseable {

  /** Largest scratch buffer kept for reuse; bigger bodies get a buffer of their own. */
  int MAX_CACHED_SCRATCH = 1 << 20;

  /** The coding this codec produces. */
  ContentCoding coding();

  /**
   * Compresses {@code src[off, off+len)} into a new array of exactly the compressed length.
   *
   * @throws IOException if the native codec reports an error
   */
  byte[] compress(byte[] src, int off, int len) throws IOException;

  /** Returns a stream that compresses into {@code out}; closing it finishes and closes out. */
  OutputStream wrap(OutputStream out) throws IOException;

  /** Releases pooled native state. */
  @Override
  void close();
}
