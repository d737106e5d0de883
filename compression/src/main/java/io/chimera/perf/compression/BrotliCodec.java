package io.chimera.perf.compression;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Brotli through brotli4j. The brotli C encoder has no reset, so each body gets a fresh native
 * encoder (as brotli4j's own {@code Encoder.compress} does); what is reused is the output scratch
 * buffer, and the pulled native output is copied once instead of gathered into a list.
 */
final class BrotliCodec implements Codec {

  private final int quality;
  private final int window;
  private final Encoder.Parameters parameters;
  private final Pool<byte[][]> scratch;

  BrotliCodec(int quality, int window, int poolSize) {
    this.quality = quality;
    this.window = window;
    this.parameters =
        new Encoder.Parameters().setQuality(quality).setWindow(window).setMode(Encoder.Mode.TEXT);
    this.scratch = new Pool<>(poolSize);
  }

  @Override
  public ContentCoding coding() {
    return ContentCoding.BROTLI;
  }

  @Override
  public byte[] compress(byte[] src, int off, int len) throws IOException {
    EncoderJNI.Wrapper encoder =
        new EncoderJNI.Wrapper(Math.max(len, 1), quality, window, Encoder.Mode.TEXT);
    byte[][] holder = scratch.take();
    if (holder == null) {
      holder = new byte[1][];
      holder[0] = new byte[8192];
    }
    try {
      encoder.getInputBuffer().put(src, off, len);
      encoder.push(EncoderJNI.Operation.FINISH, len);
      byte[] out = holder[0];
      int pos = 0;
      while (true) {
        if (!encoder.isSuccess()) {
          throw new IOException("brotli encoder failed");
        }
        if (encoder.hasMoreOutput()) {
          ByteBuffer chunk = encoder.pull();
          int n = chunk.remaining();
          if (pos + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, pos + n));
            if (out.length <= MAX_CACHED_SCRATCH) {
              holder[0] = out;
            }
          }
          chunk.get(out, pos, n);
          pos += n;
        } else if (!encoder.isFinished()) {
          encoder.push(EncoderJNI.Operation.FINISH, 0);
        } else {
          return Arrays.copyOf(out, pos);
        }
      }
    } finally {
      encoder.destroy();
      scratch.give(holder);
    }
  }

  @Override
  public OutputStream wrap(OutputStream out) throws IOException {
    return new BrotliOutputStream(out, parameters, 16 * 1024);
  }

  @Override
  public void close() {
    scratch.drain(h -> {});
  }
}
