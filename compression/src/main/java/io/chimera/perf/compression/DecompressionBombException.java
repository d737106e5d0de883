package io.chimera.perf.compression;

/**
 * A body decoded to more than {@link Decompressor.Builder#maxOutputBytes} or expanded by more than
 * {@link Decompressor.Builder#maxRatio}. Raised while decoding, as soon as the limit is passed, so
 * no more than the limit (plus one read) is ever produced.
 *
 * <pre>{@code
 * catch (DecompressionBombException e) {
 *   log.warn("refused {} after {} compressed bytes", e.coding(), e.inputBytes());
 * }
 * }</pre>
 */
public final class DecompressionBombException extends DecompressionException {

  private static final long serialVersionUID = 1L;

  /** Compressed bytes read when refused. */
  private final long inputBytes;

  /** Decoded bytes produced when refused. */
  private final long outputBytes;

  DecompressionBombException(
      String message, ContentCoding coding, long inputBytes, long outputBytes) {
    super(message, coding, false, null);
    this.inputBytes = inputBytes;
    this.outputBytes = outputBytes;
  }

  /**
   * Returns how many compressed bytes had been read when the body was refused.
   *
   * @return compressed bytes read
   */
  public long inputBytes() {
    return inputBytes;
  }

  /**
   * Returns how many decoded bytes had been produced when the body was refused.
   *
   * @return decoded bytes
   */
  public long outputBytes() {
    return outputBytes;
  }
}
