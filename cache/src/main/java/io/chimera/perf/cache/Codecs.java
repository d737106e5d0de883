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

    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes, int offset, int length) {
      // Fast path: pure ASCII cannot be malformed.
      boolean ascii = true;
      for (int i = offset, end = offset + length; i < end; i++) {
        if (bytes[i] < 0) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        return new String(bytes, offset, length, StandardCharsets.US_ASCII);
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
