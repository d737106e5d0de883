package io.chimera.perf.compression;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.LongAdder;

/**
 * zstd-jni streams whose native state is freed even when a caller drops the stream without closing
 * it. The {@code NoFinalizer} classes free their native stream only in {@code close()}; here the
 * stream the caller holds is registered with a {@link Cleaner}, whose action closes the native
 * stream after pointing it at a null stream, so a dropped stream neither writes a frame end into
 * (nor closes) the caller's stream nor reads from it. Closing normally runs the same action at
 * once, where it does nothing more.
 */
final class ZstdStreams {

  private static final Cleaner CLEANER = Cleaner.create();

  /** Native streams freed by the cleaner because their owner was dropped unclosed (for tests). */
  static final LongAdder ABANDONED = new LongAdder();

  private ZstdStreams() {}

  /** A compressing stream into {@code out}: level, content checksum. */
  static OutputStream output(OutputStream out, int level) throws IOException {
    NativeOut inner = new NativeOut(out, level);
    try {
      inner.setChecksum(true);
    } catch (IOException | RuntimeException e) {
      inner.abandon();
      throw e;
    }
    return new CleanedOutput(inner);
  }

  /** A decoding stream over {@code in}, refusing windows above 2^windowLogMax. */
  static InputStream input(InputStream in, int windowLogMax) throws IOException {
    NativeIn inner = new NativeIn(in);
    try {
      inner.setLongMax(windowLogMax);
    } catch (IOException | RuntimeException e) {
      inner.abandon();
      throw e;
    }
    return new CleanedInput(inner);
  }

  /** Frees a native stream whose owner became unreachable. */
  private static final class Release implements Runnable {
    private final Abandonable stream;
    private boolean closedNormally;

    Release(Abandonable stream) {
      this.stream = stream;
    }

    @Override
    public void run() {
      if (!closedNormally) {
        ABANDONED.increment();
        stream.abandon();
      }
    }
  }

  private interface Abandonable {
    /** Detaches from the caller's stream and frees the native state; never throws. */
    void abandon();
  }

  private static final class NativeOut extends ZstdOutputStreamNoFinalizer implements Abandonable {
    NativeOut(OutputStream out, int level) throws IOException {
      super(out, level);
    }

    @Override
    public void abandon() {
      synchronized (this) {
        out = OutputStream.nullOutputStream();
      }
      try {
        close();
      } catch (IOException | RuntimeException e) {
        // Nothing to report to: the owner is gone and the native state is freed either way.
      }
    }
  }

  private static final class NativeIn extends ZstdInputStreamNoFinalizer implements Abandonable {
    NativeIn(InputStream in) throws IOException {
      super(in);
    }

    @Override
    public void abandon() {
      synchronized (this) {
        in = InputStream.nullInputStream();
      }
      try {
        close();
      } catch (IOException | RuntimeException e) {
        // Nothing to report to: the owner is gone and the native state is freed either way.
      }
    }
  }

  /** What the caller holds; its reachability decides when the cleaner runs. */
  private static final class CleanedOutput extends FilterOutputStream {
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    CleanedOutput(NativeOut inner) {
      super(inner);
      this.release = new Release(inner);
      this.cleanable = CLEANER.register(this, release);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } finally {
        release.closedNormally = true;
        cleanable.clean();
      }
    }
  }

  /** What the caller holds; its reachability decides when the cleaner runs. */
  private static final class CleanedInput extends FilterInputStream {
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    CleanedInput(NativeIn inner) {
      super(inner);
      this.release = new Release(inner);
      this.cleanable = CLEANER.register(this, release);
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        release.closedNormally = true;
        cleanable.clean();
      }
    }
  }
}
