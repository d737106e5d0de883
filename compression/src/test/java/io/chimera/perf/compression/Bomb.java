package io.chimera.perf.compression;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A compressed stream of {@code total} zero bytes, made on demand: compressed bytes are produced
 * only as they are read, one 1 MiB chunk of zeros at a time, so a 10 GB bomb costs nothing unless
 * someone reads it all.
 */
final class Bomb extends InputStream {

  private static final byte[] ZEROS = new byte[1 << 20];

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final OutputStream encoder;
  private long remaining;
  private byte[] chunk = new byte[0];
  private int pos;
  private boolean finished;
  long zerosEncoded;
  long bytesServed;

  Bomb(ContentCoding coding, long total) throws IOException {
    this.remaining = total;
    com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
    this.encoder =
        switch (coding) {
          case GZIP -> new GZIPOutputStream(pending, 8192, true);
          case BROTLI -> new BrotliOutputStream(pending, new Encoder.Parameters().setQuality(5));
          case ZSTD -> new ZstdOutputStreamNoFinalizer(pending, 3);
          case IDENTITY -> throw new IllegalArgumentException("identity");
        };
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (pos == chunk.length) {
      if (finished) {
        return -1;
      }
      if (remaining > 0) {
        int n = (int) Math.min(ZEROS.length, remaining);
        encoder.write(ZEROS, 0, n);
        encoder.flush();
        remaining -= n;
        zerosEncoded += n;
      } else {
        encoder.close();
        finished = true;
      }
      chunk = pending.toByteArray();
      pending.reset();
      pos = 0;
    }
    int n = Math.min(len, chunk.length - pos);
    System.arraycopy(chunk, pos, b, off, n);
    pos += n;
    bytesServed += n;
    return n;
  }
}
