package io.chimera.perf.compression;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * gzip (RFC 1952) with pooled JDK {@link Deflater}s in raw mode plus our own header and trailer.
 */
final class GzipCodec implements Codec {

  /** Header: magic, CM=deflate, no flags, no mtime, XFL=0, OS=unknown (255). */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private static final int TRAILER = 8;

  private final int level;
  private final Pool<State> pool;

  GzipCodec(int level, int poolSize) {
    this.level = level;
    this.pool = new Pool<>(poolSize);
  }

  @Override
  public ContentCoding coding() {
    return ContentCoding.GZIP;
  }

  @Override
  public byte[] compress(byte[] src, int off, int len) {
    State s = take();
    try {
      Deflater d = s.deflater;
      d.setInput(src, off, len);
      d.finish();
      int bound = HEADER.length + len + 5 * (len / 16_383 + 1) + 64 + TRAILER;
      byte[] out = s.scratch(bound);
      System.arraycopy(HEADER, 0, out, 0, HEADER.length);
      int pos = HEADER.length;
      while (!d.finished()) {
        if (pos == out.length - TRAILER) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        pos += d.deflate(out, pos, out.length - TRAILER - pos);
      }
      s.crc.reset();
      s.crc.update(src, off, len);
      pos = putIntLe(out, pos, (int) s.crc.getValue());
      pos = putIntLe(out, pos, len);
      return Arrays.copyOf(out, pos);
    } finally {
      give(s);
    }
  }

  @Override
  public OutputStream wrap(OutputStream out) throws IOException {
    return new GzipStream(out, take());
  }

  @Override
  public void close() {
    pool.drain(s -> s.deflater.end());
  }

  private State take() {
    State s = pool.take();
    return s != null ? s : new State(level);
  }

  private void give(State s) {
    s.deflater.reset();
    if (!pool.give(s)) {
      s.deflater.end();
    }
  }

  private static int putIntLe(byte[] b, int pos, int v) {
    b[pos] = (byte) v;
    b[pos + 1] = (byte) (v >>> 8);
    b[pos + 2] = (byte) (v >>> 16);
    b[pos + 3] = (byte) (v >>> 24);
    return pos + 4;
  }

  /** A deflater, a checksum and a scratch buffer that travel together through the pool. */
  private static final class State {
    final Deflater deflater;
    final CRC32 crc = new CRC32();
    byte[] scratch = new byte[0];

    State(int level) {
      deflater = new Deflater(level, true);
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

  /**
   * Streaming gzip over a pooled deflater, returned to the pool on close. {@code flush()} does a
   * deflate SYNC_FLUSH, so everything written so far reaches {@code out} and can be decoded (a
   * streamed response such as server-sent events does not stall in the deflater).
   */
  private final class GzipStream extends DeflaterOutputStream {
    private final State state;
    private long size;
    private boolean closed;

    GzipStream(OutputStream out, State state) throws IOException {
      super(out, state.deflater, 8192, true);
      this.state = state;
      state.crc.reset();
      out.write(HEADER);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      super.write(b, off, len);
      state.crc.update(b, off, len);
      size += len;
    }

    @Override
    public void finish() throws IOException {
      if (!def.finished()) {
        super.finish();
        byte[] trailer = new byte[TRAILER];
        putIntLe(trailer, 0, (int) state.crc.getValue());
        putIntLe(trailer, 4, (int) size);
        out.write(trailer);
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        super.close();
      } finally {
        give(state);
      }
    }
  }
}
