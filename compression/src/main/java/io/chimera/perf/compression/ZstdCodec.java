package io.chimera.perf.compression;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Zstandard through zstd-jni with pooled {@link ZstdCompressCtx}s (each call starts a frame).
 * Frames carry a content checksum, as the zstd command line writes by default. Streams free their
 * native state even when dropped unclosed ({@link ZstdStreams}).
 */
final class ZstdCodec implements Codec {

  private final int level;
  private final Pool<State> pool;

  ZstdCodec(int level, int poolSize) {
    this.level = level;
    this.pool = new Pool<>(poolSize);
  }

  @Override
  public ContentCoding coding() {
    return ContentCoding.ZSTD;
  }

  @Override
  public byte[] compress(byte[] src, int off, int len) throws IOException {
    State s = pool.take();
    if (s == null) {
      s = new State(level);
    }
    try {
      int bound = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(len));
      byte[] out = s.scratch(bound);
      int n = s.ctx.compressByteArray(out, 0, out.length, src, off, len);
      return Arrays.copyOf(out, n);
    } catch (RuntimeException e) {
      throw new IOException("zstd compression failed: " + e.getMessage(), e);
    } finally {
      if (!pool.give(s)) {
        s.ctx.close();
      }
    }
  }

  @Override
  public OutputStream wrap(OutputStream out) throws IOException {
    return ZstdStreams.output(out, level);
  }

  @Override
  public void close() {
    pool.drain(s -> s.ctx.close());
  }

  private static final class State {
    final ZstdCompressCtx ctx;
    byte[] scratch = new byte[0];

    State(int level) {
      ctx = new ZstdCompressCtx();
      ctx.setLevel(level);
      ctx.setChecksum(true);
    }

    byte[] scratch(int size) {
      if (scratch.length >= size) {
        return scratch;
      }
      byte[] b = new byte[size];
      if (size <= MAX_CACHED_SCRATCH) {
        scratch = b;
      }
      return b;
    }
  }
}
