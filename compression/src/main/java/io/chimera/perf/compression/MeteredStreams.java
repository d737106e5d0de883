package io.chimera.perf.compression;

import io.chimera.perf.core.Ticker;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Streams that count bytes and time for the streaming path. */
final class MeteredStreams {

  private MeteredStreams() {}

  /** Counts bytes written through to the underlying stream. */
  static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /**
   * The stream {@code wrap} returns: feeds a codec stream, measures the time spent inside it and
   * records bytes in, bytes out and duration when closed.
   */
  static final class Compressing extends OutputStream {
    private final OutputStream codec;
    private final Counting sink;
    private final ContentCoding coding;
    private final CompressionMetrics metrics;
    private final Ticker ticker;
    private long in;
    private long nanos;
    private boolean closed;

    Compressing(
        OutputStream codec,
        Counting sink,
        ContentCoding coding,
        CompressionMetrics metrics,
        Ticker ticker) {
      this.codec = codec;
      this.sink = sink;
      this.coding = coding;
      this.metrics = metrics;
      this.ticker = ticker;
    }

    @Override
    public void write(int b) throws IOException {
      ensureOpen();
      long t0 = ticker.read();
      codec.write(b);
      nanos += ticker.read() - t0;
      in++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensureOpen();
      long t0 = ticker.read();
      codec.write(b, off, len);
      nanos += ticker.read() - t0;
      in += len;
    }

    @Override
    public void flush() throws IOException {
      ensureOpen();
      codec.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      long t0 = ticker.read();
      codec.close();
      nanos += ticker.read() - t0;
      metrics.compressed(coding, in, sink.count, nanos);
    }

    private void ensureOpen() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
    }
  }
}
