package io.chimera.perf.cache;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The built-in codecs. */
final class Codecs {

  private Codecs() {}

  /** Strict UTF-8. */
  enum Utf8 implements CacheCodec<String> {
    INSTANCE;

    private static final char REPLACEMENT = '\uFFFD';

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes with the JDK's lenient decoder first (vectorized for ASCII), which turns every
     * malformed sequence into U+FFFD; only a result holding U+FFFD (malformed input, or a real
     * U+FFFD) is decoded again strictly, to refuse the malformed case. A Latin-1 string cannot hold
     * U+FFFD, so its check is free.
     */
    @Override
    public String decode(byte[] bytes, int offset, int length) {
      String lenient = new String(bytes, offset, length, StandardCharsets.UTF_8);
      if (lenient.indexOf(REPLACEMENT) < 0) {
        return lenient;
      }
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, offset, length))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("not valid UTF-8: " + e.getMessage(), e);
      }
    }
  }

  /** Raw bytes, copied both ways. */
  enum Bytes implements CacheCodec<byte[]> {
    INSTANCE;

    @Override
    public byte[] encode(byte[] value) {
      return value.clone();
    }

    @Override
    public byte[] decode(byte[] bytes, int offset, int length) {
      return Arrays.copyOfRange(bytes, offset, offset + length);
    }
  }
}
