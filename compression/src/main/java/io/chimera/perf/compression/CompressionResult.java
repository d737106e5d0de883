package io.chimera.perf.compression;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The outcome of {@link ResponseCompressor#compress}: the body to send and the headers that go with
 * it.
 *
 * <pre>{@code
 * CompressionResult r = compressor.compress(json, "application/json", acceptEncoding);
 * r.contentEncoding().ifPresent(v -> headers.set("Content-Encoding", v));
 * r.vary().ifPresent(v -> headers.add("Vary", v));
 * out.write(r.body());
 * }</pre>
 */
public final class CompressionResult {

  /** The {@code Vary} value a negotiated response carries. */
  public static final String VARY_ACCEPT_ENCODING = "Accept-Encoding";

  private final ContentCoding coding;
  private final byte[] array;
  private final int offset;
  private final int length;
  private final boolean vary;

  CompressionResult(ContentCoding coding, byte[] array, int offset, int length, boolean vary) {
    this.coding = coding;
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.vary = vary;
  }

  /**
   * Returns the coding of {@link #body()}; {@link ContentCoding#IDENTITY} when sent as it was.
   *
   * @return the coding
   */
  public ContentCoding coding() {
    return coding;
  }

  /**
   * Returns the {@code Content-Encoding} header value, empty for identity.
   *
   * @return the header value, for example {@code "br"}
   */
  public Optional<String> contentEncoding() {
    return coding == ContentCoding.IDENTITY ? Optional.empty() : Optional.of(coding.token());
  }

  /**
   * Returns the {@code Vary} header value: {@code Accept-Encoding} whenever the response depends on
   * the request's Accept-Encoding (compressible content type, not already encoded), else empty.
   *
   * @return the header value
   */
  public Optional<String> vary() {
    return vary ? Optional.of(VARY_ACCEPT_ENCODING) : Optional.empty();
  }

  /**
   * Returns whether the compressor changed the body.
   *
   * @return true when {@link #coding()} is not identity
   */
  public boolean compressed() {
    return coding != ContentCoding.IDENTITY;
  }

  /**
   * Returns the body length in bytes.
   *
   * @return the length
   */
  public int length() {
    return length;
  }

  /**
   * Returns the body as an array. For a compressed body this is our own array, never copied; for an
   * uncompressed body given as a whole array it is the caller's array.
   *
   * @return the body bytes
   */
  public byte[] body() {
    if (offset == 0 && length == array.length) {
      return array;
    }
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /**
   * Returns the body as a read-only buffer, without copying.
   *
   * @return the body
   */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "CompressionResult[" + coding.token() + ", " + length + " bytes, vary=" + vary + "]";
  }
}
