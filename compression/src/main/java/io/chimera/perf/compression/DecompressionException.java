package io.chimera.perf.compression;

import java.io.IOException;

/**
 * A compressed body could not be decoded: its bytes are corrupt, or it ended before the coding did.
 * {@link DecompressionBombException}, a subclass, is a body that decoded to too much.
 *
 * <pre>{@code
 * try {
 *   byte[] json = decompressor.decompress(body, ContentCoding.GZIP);
 * } catch (DecompressionBombException e) {
 *   reply(413);
 * } catch (DecompressionException e) {
 *   reply(400);
 * }
 * }</pre>
 */
public class DecompressionException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The coding that failed. */
  private final ContentCoding coding;

  /** Whether the input ended early. */
  private final boolean truncated;

  DecompressionException(String message, ContentCoding coding, boolean truncated, Throwable cause) {
    super(message, cause);
    this.coding = coding;
    this.truncated = truncated;
  }

  /**
   * Returns the coding being decoded.
   *
   * @return the coding
   */
  public ContentCoding coding() {
    return coding;
  }

  /**
   * Returns whether the input ended before the coding did (as opposed to corrupt bytes or a bomb).
   *
   * @return true for truncated input
   */
  public boolean truncated() {
    return truncated;
  }
}
