package io.chimera.perf.compression;

/**
 * An HTTP content coding this library can produce or decode (RFC 9110 section 8.4.1).
 *
 * <pre>{@code
 * response.getResponseHeaders().set("Content-Encoding", ContentCoding.BROTLI.token());
 * }</pre>
 */
public enum ContentCoding {
  /** gzip (RFC 1952), through the JDK's {@link java.util.zip.Deflater}. */
  GZIP("gzip", 0),
  /** Brotli (RFC 7932), through brotli4j's native library. */
  BROTLI("br", 1),
  /** Zstandard (RFC 8878), through zstd-jni's native library. */
  ZSTD("zstd", 2),
  /** No coding: the body as it is. */
  IDENTITY("identity", 3);

  /** How many codings there are; ids run from 0 below this. */
  static final int COUNT = 4;

  private static final ContentCoding[] BY_ID = {GZIP, BROTLI, ZSTD, IDENTITY};

  private final String token;

  /** A stable small index for arrays, fixed here rather than taken from declaration order. */
  final int id;

  ContentCoding(String token, int id) {
    this.token = token;
    this.id = id;
  }

  /** The coding with {@code id}. */
  static ContentCoding byId(int id) {
    return BY_ID[id];
  }

  /**
   * Returns the coding's token as it appears in {@code Content-Encoding} and {@code
   * Accept-Encoding}, also used as the {@code algorithm} metric tag.
   *
   * @return the token, for example {@code "br"}
   */
  public String token() {
    return token;
  }

  /**
   * Returns the coding named by a {@code Content-Encoding} token, case-insensitively; {@code
   * x-gzip} is gzip (RFC 9110 section 8.4.1.3).
   *
   * @param token a content-coding token
   * @return the coding
   * @throws IllegalArgumentException if the token names no coding this library knows
   */
  public static ContentCoding fromToken(String token) {
    String t = token.trim();
    for (ContentCoding c : values()) {
      if (c.token.equalsIgnoreCase(t)) {
        return c;
      }
    }
    if ("x-gzip".equalsIgnoreCase(t)) {
      return GZIP;
    }
    throw new IllegalArgumentException(
        "unknown content coding '" + token + "', expected one of gzip, x-gzip, br, zstd, identity");
  }
}
