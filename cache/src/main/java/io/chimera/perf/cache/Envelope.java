package io.chimera.perf.cache;

import io.chimera.perf.compression.CompressionResult;
import io.chimera.perf.compression.ContentCoding;
import io.chimera.perf.compression.DecompressionException;
import io.chimera.perf.compression.Decompressor;
import io.chimera.perf.compression.ResponseCompressor;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The byte layout of a value in Redis: one marker byte, then the payload. The marker tells a plain
 * encoded value, a compressed one (and its coding) and a cached "absent" result apart; any other
 * first byte (a foreign writer, a codec change, a truncated value) is corrupt.
 */
final class Envelope implements AutoCloseable {

  static final byte ABSENT = (byte) 0xC0;
  static final byte PLAIN = (byte) 0xC1;

  /** Compressed: this plus the coding's index in {@link #CODINGS} (gzip 0, br 1, zstd 2). */
  static final int COMPRESSED = 0xD0;

  private static final String CONTENT_TYPE = "application/octet-stream";

  /** The codings by their marker offset; the stored format, never reorder. */
  private static final ContentCoding[] CODINGS = {
    ContentCoding.GZIP, ContentCoding.BROTLI, ContentCoding.ZSTD
  };

  private static final byte[] ABSENT_BYTES = {ABSENT};

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

  /** The stored form of an encoded value. */
  byte[] wrap(byte[] encoded) {
    if (compressor != null && encoded.length >= minBytes) {
      CompressionResult r = compressor.compress(encoded, CONTENT_TYPE, accept);
      if (r.compressed()) {
        byte[] out = new byte[r.length() + 1];
        out[0] = (byte) (COMPRESSED + indexOf(r.coding()));
        r.bodyBuffer().get(out, 1, r.length());
        return out;
      }
    }
    byte[] out = new byte[encoded.length + 1];
    out[0] = PLAIN;
    System.arraycopy(encoded, 0, out, 1, encoded.length);
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

  /** The stored form of "the loader found nothing". */
  static byte[] absent() {
    return ABSENT_BYTES.clone();
  }

  /** True if {@code stored} is a cached absent result. */
  static boolean isAbsent(byte[] stored) {
    return stored.length == 1 && stored[0] == ABSENT;
  }

  /**
   * Returns the encoded value inside {@code stored}: the array itself (payload from offset 1) for a
   * plain value, or a decompressed array (payload from offset 0) otherwise; see {@link
   * #payloadOffset}.
   *
   * @throws CorruptValueException if the bytes are no envelope of ours
   */
  byte[] open(byte[] stored) throws CorruptValueException {
    if (stored.length == 0) {
      throw new CorruptValueException("empty value");
    }
    int marker = stored[0] & 0xFF;
    if (marker == (PLAIN & 0xFF)) {
      return stored;
    }
    int coding = marker - COMPRESSED;
    if (coding < 0 || coding >= CODINGS.length) {
      throw new CorruptValueException(String.format("unknown marker byte 0x%02x", marker));
    }
    try {
      return decompressor.decompress(Arrays.copyOfRange(stored, 1, stored.length), CODINGS[coding]);
    } catch (DecompressionException | RuntimeException e) {
      throw new CorruptValueException(
          CODINGS[coding].token() + " payload does not decompress: " + e.getMessage());
    }
  }

  /** Where the encoded value starts in what {@link #open} returned for {@code stored}. */
  static int payloadOffset(byte[] stored, byte[] opened) {
    return opened == stored ? 1 : 0;
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
