package io.chimera.perf.cache;

import io.chimera.perf.compression.CompressionResult;
import io.chimera.perf.compression.ContentCoding;
import io.chimera.perf.compression.DecompressionException;
import io.chimera.perf.compression.Decompressor;
import io.chimera.perf.compression.ResponseCompressor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The byte layout of a value in Redis: a {@value #HEADER}-byte header, then the payload. The header
 * is one marker byte, which tells a plain encoded value, a compressed one (and its coding) and a
 * cached "absent" result apart, and the value's deadline: the wall-clock time in epoch milliseconds
 * (big-endian) its writer gave Redis as the end of its life, so that an instance reading it never
 * keeps it in L1 past that time. Any other first byte (a foreign writer, a codec change, the
 * header-less layout of earlier builds), a header cut short or a deadline before 2020 is corrupt.
 *
 * <p>The markers are bytes that never start UTF-8 text (0xF5 to 0xFF), so a string a foreign writer
 * puts under a cache's key ({@code redis-cli SET}, another client) can never pass for an envelope,
 * whatever its first character.
 */
final class Envelope implements AutoCloseable {

  static final byte ABSENT = (byte) 0xF8;
  static final byte PLAIN = (byte) 0xF9;

  /** Compressed: this plus the coding's index in {@link #CODINGS} (gzip 0, br 1, zstd 2). */
  static final int COMPRESSED = 0xFA;

  /** Marker byte plus deadline. */
  static final int HEADER = 9;

  /** 2020-01-01T00:00:00Z: no value of ours was stamped before it. */
  static final long MIN_DEADLINE = 1_577_836_800_000L;

  private static final VarHandle DEADLINE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final String CONTENT_TYPE = "application/octet-stream";

  /** The codings by their marker offset; the stored format, never reorder. */
  private static final ContentCoding[] CODINGS = {
    ContentCoding.GZIP, ContentCoding.BROTLI, ContentCoding.ZSTD
  };

  @Nullable private final ResponseCompressor compressor;
  private final Decompressor decompressor;
  private final String accept;
  private final int minBytes;

  /** A plain envelope, or one that compresses payloads of at least {@code minBytes}. */
  Envelope(@Nullable ResponseCompressor compressor, ContentCoding coding, int minBytes, int max) {
    this.compressor = compressor;
    this.accept = coding.token();
    this.minBytes = minBytes;
    this.decompressor = Decompressor.builder().maxOutputBytes(max).build();
  }

  /**
   * The name of a cache's own compressor: {@code cache.<name>}, shortened with a hash when that
   * would pass the 64 characters compressor names allow, so each cache's compression meters stay
   * apart from the application's and from other caches'.
   */
  static String compressorName(String cacheName) {
    String name = "cache." + cacheName;
    if (name.length() <= 64) {
      return name;
    }
    return name.substring(0, 55) + "." + String.format("%08x", cacheName.hashCode());
  }

  static ResponseCompressor compressorFor(
      String cacheName,
      ContentCoding coding,
      int minBytes,
      io.micrometer.core.instrument.MeterRegistry registry) {
    return ResponseCompressor.builder()
        .name(compressorName(cacheName))
        .minSize(minBytes)
        .preference(coding)
        .contentTypes(CONTENT_TYPE)
        .meterRegistry(registry)
        .build();
  }

  /** The stored form of an encoded value that Redis keeps until {@code deadlineMillis}. */
  byte[] wrap(byte[] encoded, long deadlineMillis) {
    if (compressor != null && encoded.length >= minBytes) {
      CompressionResult r = compressor.compress(encoded, CONTENT_TYPE, accept);
      if (r.compressed()) {
        byte[] out = header(COMPRESSED + indexOf(r.coding()), deadlineMillis, r.length());
        r.bodyBuffer().get(out, HEADER, r.length());
        return out;
      }
    }
    byte[] out = header(PLAIN, deadlineMillis, encoded.length);
    System.arraycopy(encoded, 0, out, HEADER, encoded.length);
    return out;
  }

  private static byte[] header(int marker, long deadlineMillis, int payloadLength) {
    byte[] out = new byte[HEADER + payloadLength];
    out[0] = (byte) marker;
    DEADLINE.set(out, 1, deadlineMillis);
    return out;
  }

  private static int indexOf(ContentCoding coding) {
    for (int i = 0; i < CODINGS.length; i++) {
      if (CODINGS[i] == coding) {
        return i;
      }
    }
    throw new IllegalArgumentException("no marker for coding " + coding);
  }

  /** The stored form of "the loader found nothing", which Redis keeps until the deadline. */
  static byte[] absent(long deadlineMillis) {
    return header(ABSENT, deadlineMillis, 0);
  }

  /** True if {@code stored} is a cached absent result. */
  static boolean isAbsent(byte[] stored) {
    return stored.length == HEADER && stored[0] == ABSENT;
  }

  /**
   * The deadline, in epoch milliseconds, of a value that {@link #isAbsent} or {@link #open}
   * accepted.
   *
   * @throws CorruptValueException if it is before {@link #MIN_DEADLINE}: no writer of ours
   */
  static long deadline(byte[] stored) throws CorruptValueException {
    long deadline = (long) DEADLINE.get(stored, 1);
    if (deadline < MIN_DEADLINE) {
      throw new CorruptValueException("deadline " + deadline + " is before 2020");
    }
    return deadline;
  }

  /**
   * Returns the encoded value inside {@code stored}, a value that is not {@link #isAbsent}: the
   * array itself (payload from offset {@value #HEADER}) for a plain value, or a decompressed array
   * (payload from offset 0) otherwise; see {@link #payloadOffset}.
   *
   * @throws CorruptValueException if the bytes are no envelope of ours
   */
  byte[] open(byte[] stored) throws CorruptValueException {
    if (stored.length == 0) {
      throw new CorruptValueException("empty value");
    }
    int marker = stored[0] & 0xFF;
    int coding = marker - COMPRESSED;
    if (marker != (PLAIN & 0xFF) && (coding < 0 || coding >= CODINGS.length)) {
      throw new CorruptValueException(
          marker == (ABSENT & 0xFF)
              ? "an absent marker followed by " + (stored.length - 1) + " bytes, not 8"
              : String.format("unknown marker byte 0x%02x", marker));
    }
    if (stored.length < HEADER) {
      throw new CorruptValueException(
          "header cut short: " + stored.length + " bytes, not " + HEADER);
    }
    if (marker == (PLAIN & 0xFF)) {
      return stored;
    }
    try {
      return decompressor.decompress(
          Arrays.copyOfRange(stored, HEADER, stored.length), CODINGS[coding]);
    } catch (DecompressionException | RuntimeException e) {
      throw new CorruptValueException(
          CODINGS[coding].token() + " payload does not decompress: " + e.getMessage());
    }
  }

  /** Where the encoded value starts in what {@link #open} returned for {@code stored}. */
  static int payloadOffset(byte[] stored, byte[] opened) {
    return opened == stored ? HEADER : 0;
  }

  @Override
  public void close() {
    if (compressor != null) {
      compressor.close();
    }
  }

  /** Bytes in Redis that are not a value this cache can read. */
  static final class CorruptValueException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptValueException(String message) {
      super(message, null, false, false);
    }
  }
}
