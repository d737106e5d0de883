package io.chimera.perf.compression;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lazily loads native codecs on first need. A coding whose library cannot load is marked
 * unavailable for the life of this object; the cause is logged once and the failure counted.
 */
final class NativeCodecs {

  private static final Logger LOG = LoggerFactory.getLogger(NativeCodecs.class);

  private static final int UNKNOWN = 0;
  private static final int LOADED = 1;
  private static final int FAILED = 2;

  private final NativeLoader loader;
  private final AtomicIntegerArray state = new AtomicIntegerArray(ContentCoding.COUNT);
  private final Throwable[] causes = new Throwable[ContentCoding.COUNT];
  private final LongAdder loadFailures = new LongAdder();

  NativeCodecs(NativeLoader loader) {
    this.loader = loader;
    state.set(ContentCoding.GZIP.id, LOADED);
    state.set(ContentCoding.IDENTITY.id, LOADED);
  }

  /** Whether {@code coding} can be used, loading its native library the first time. */
  boolean available(ContentCoding coding) {
    int s = state.get(coding.id);
    return s == UNKNOWN ? load(coding) : s == LOADED;
  }

  /** Whether the coding is already known to be unusable (never triggers a load). */
  boolean knownUnavailable(ContentCoding coding) {
    return state.get(coding.id) == FAILED;
  }

  /** Why a coding is unavailable, or null. */
  synchronized Throwable cause(ContentCoding coding) {
    return causes[coding.id];
  }

  long loadFailures() {
    return loadFailures.sum();
  }

  private synchronized boolean load(ContentCoding coding) {
    int i = coding.id;
    if (state.get(i) == UNKNOWN) {
      try {
        loader.load(coding);
        state.set(i, LOADED);
      } catch (LinkageError | RuntimeException e) {
        causes[i] = e;
        state.set(i, FAILED);
        loadFailures.increment();
        LOG.warn(
            "{} native library could not load; {} is dropped from negotiation and the next"
                + " acceptable coding (normally gzip) serves instead",
            coding.token(),
            coding.token(),
            e);
      }
    }
    return state.get(i) == LOADED;
  }
}
