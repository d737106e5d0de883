package io.chimera.perf.compression;

import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.Timer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * The stream {@link Decompressor#wrap} returns: reads a codec's decoder, counts compressed bytes
 * taken from the source and decoded bytes handed out, and refuses the body the moment either cap is
 * passed. Codec errors become {@link DecompressionException}s; errors of the source itself pass
 * through unchanged.
 */
final class LimitedDecoding extends InputStream {

  /** Counts bytes read from the compressed source and remembers how it ended. */
  static final class Source extends InputStream {
    private final InputStream in;
    long count;
    boolean eof;
    boolean failed;

    Source(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
      if (n < 0) {
        eof = true;
      } else {
        count += n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private final InputStream decoder;
  private final Source source;
  private final ContentCoding coding;
  private final long maxOutput;
  private final long maxRatio;
  private final long ratioAfter;
  private final Timer timer;
  private final Ticker ticker;
  private long out;
  private long nanos;
  private boolean closed;

  LimitedDecoding(
      InputStream decoder,
      Source source,
      ContentCoding coding,
      long maxOutput,
      long maxRatio,
      long ratioAfter,
      Timer timer,
      Ticker ticker) {
    this.decoder = decoder;
    this.source = source;
    this.coding = coding;
    this.maxOutput = maxOutput;
    this.maxRatio = maxRatio;
    this.ratioAfter = ratioAfter;
    this.timer = timer;
    this.ticker = ticker;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    // Ask for at most one byte past the cap, so the cap is detected without overshooting it.
    int ask = (int) Math.min(len, maxOutput - out + 1);
    long t0 = ticker.read();
    int n;
    try {
      n = decoder.read(b, off, ask);
    } catch (DecompressionException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (source.failed) {
        throw e;
      }
      boolean truncated = source.eof || e instanceof EOFException;
      throw new DecompressionException(
          coding.token()
              + (truncated ? " input is truncated: " : " input is corrupt: ")
              + e.getMessage(),
          coding,
          truncated,
          e);
    } finally {
      nanos += ticker.read() - t0;
    }
    if (n > 0) {
      out += n;
      check();
    } else if (n < 0 && source.count == 0 && coding != ContentCoding.IDENTITY) {
      // zstd's stream decoder reports an empty source as a clean end; no coding allows that.
      throw new DecompressionException(
          coding.token() + " input is truncated: it is empty", coding, true, null);
    }
    return n;
  }

  private void check() throws DecompressionBombException {
    if (out > maxOutput) {
      throw new DecompressionBombException(
          coding.token()
              + " body decodes to more than "
              + maxOutput
              + " bytes (maxOutputBytes);"
              + " refused after "
              + source.count
              + " compressed bytes",
          coding,
          source.count,
          out);
    }
    if (out > ratioAfter && out > maxRatio * Math.max(1, source.count)) {
      throw new DecompressionBombException(
          coding.token()
              + " body expands more than "
              + maxRatio
              + "x (maxRatio): "
              + out
              + " bytes from "
              + source.count
              + " compressed bytes",
          coding,
          source.count,
          out);
    }
  }

  /** Decoded bytes handed out so far. */
  long outputBytes() {
    return out;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    timer.record(nanos, TimeUnit.NANOSECONDS);
    decoder.close();
  }
}
