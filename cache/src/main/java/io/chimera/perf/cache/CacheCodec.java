package io.chimera.perf.cache;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns keys or values into the bytes stored in Redis and back. No Java native serialization is
 * used anywhere: the shipped codecs are {@link #utf8()}, {@link #bytes()} and {@link #json(Class)}
 * (Jackson, an optional dependency the caller adds).
 *
 * <p>A codec must be thread-safe and must throw (any {@link RuntimeException}) for bytes it cannot
 * decode; the cache then counts the value as {@code corrupt}, deletes it from Redis and treats it
 * as a miss.
 *
 * <pre>{@code
 * CacheCodec<String> keys = CacheCodec.utf8();
 * CacheCodec<User> users = CacheCodec.json(User.class);
 * }</pre>
 *
 * @param <T> the type encoded
 */
public interface CacheCodec<T> {

  /**
   * Encodes a value.
   *
   * @param value the value, never null
   * @return its bytes; the caller may keep the array
   */
  byte[] encode(T value);

  /**
   * Decodes a value from part of an array.
   *
   * @param bytes the array
   * @param offset where the value starts
   * @param length how many bytes it has
   * @return the value, never null
   * @throws RuntimeException if the bytes are not a valid encoding
   */
  T decode(byte[] bytes, int offset, int length);

  /**
   * Decodes a value from a whole array.
   *
   * @param bytes the encoded value
   * @return the value
   * @throws RuntimeException if the bytes are not a valid encoding
   */
  default T decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Returns the codec for strings as strict UTF-8: malformed input is refused, not replaced.
   *
   * @return the UTF-8 codec
   */
  static CacheCodec<String> utf8() {
    return Codecs.Utf8.INSTANCE;
  }

  /**
   * Returns the codec for byte arrays: stored as they are, copied on the way in and out so the
   * cache never shares an array with a caller.
   *
   * @return the byte-array codec
   */
  static CacheCodec<byte[]> bytes() {
    return Codecs.Bytes.INSTANCE;
  }

  /**
   * Returns a JSON codec through a default Jackson {@link ObjectMapper}. Needs {@code
   * com.fasterxml.jackson.core:jackson-databind} on the class path.
   *
   * @param type the value class
   * @param <T> the value type
   * @return the JSON codec
   */
  static <T> CacheCodec<T> json(Class<T> type) {
    return new JsonCodec<>(new ObjectMapper(), type);
  }

  /**
   * Returns a JSON codec through the given Jackson mapper (which must not be reconfigured later).
   *
   * @param mapper the mapper
   * @param type the value class
   * @param <T> the value type
   * @return the JSON codec
   */
  static <T> CacheCodec<T> json(ObjectMapper mapper, Class<T> type) {
    return new JsonCodec<>(mapper, type);
  }
}
