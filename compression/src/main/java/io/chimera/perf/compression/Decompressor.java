package io.chimera.perf.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes gzip (including concatenated members), brotli and zstd bodies with two hard caps checked
 * while decoding: total decoded bytes and expansion ratio (decoded bytes over compressed bytes
 * read, checked once more than {@link Builder#ratioCheckAfter} bytes came out, so small legitimate
 * bodies of very repetitive text pass). A zip bomb is therefore refused after reading a few KB and
 * producing at most the cap, with memory bounded by the decoder windows (zstd frames asking for a
 * window above {@link Builder#zstdWindowLogMax} are refused). Thread-safe and stateless. Its
 * decompress durations carry the {@code compressor} tag ({@link Builder#name}); decompressors of
 * one name on one registry share those timers, which is harmless (timers belong to the registry and
 * nothing is removed).
 *
 * <pre>{@code
 * Decompressor d = Decompressor.builder().maxOutputBytes(8 << 20).build();
 * byte[] json = d.decompress(requestBody, ContentCoding.fromToken(contentEncoding));
 * try (InputStream in = d.wrap(socketIn, ContentCoding.ZSTD)) {
 *   parser.parse(in);
 * }
 * }</pre>
 */
public final class Decompressor {

  private final long maxOutput;
  private final long maxRatio;
  private final long ratioAfter;
  private final int zstdWindowLogMax;
  private final Ticker ticker;
  private final Timer[] timers = new Timer[ContentCoding.COUNT];

  private Decompressor(Builder b) {
    this.maxOutput = b.maxOutput;
    this.maxRatio = b.maxRatio;
    this.ratioAfter = b.ratioAfter;
    this.zstdWindowLogMax = b.zstdWindowLogMax;
    this.ticker = b.ticker;
    MeterRegistry registry = b.registry != null ? b.registry : new CompositeMeterRegistry();
    for (ContentCoding c : ContentCoding.values()) {
      timers[c.id] =
          Timer.builder(MetricNames.COMPRESSION_DURATION)
              .description("Time spent compressing or decompressing")
              .tag(MetricNames.TAG_ALGORITHM, c.token())
              .tag(MetricNames.TAG_COMPRESSOR, b.name)
              .tag(MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_DECOMPRESS)
              .register(registry);
    }
  }

  /**
   * Returns a builder with the defaults: at most 64 MiB out, at most 100x expansion once 1 MiB has
   * come out, zstd windows up to 2^24 bytes.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decodes a whole body.
   *
   * @param body the compressed bytes
   * @param coding their coding; identity returns {@code body} itself after the size cap check
   * @return the decoded bytes
   * @throws DecompressionBombException if a cap is passed
   * @throws DecompressionException if the body is corrupt or truncated
   */
  public byte[] decompress(byte[] body, ContentCoding coding) throws DecompressionException {
    if (coding == ContentCoding.IDENTITY) {
      if (body.length > maxOutput) {
        throw new DecompressionBombException(
            "identity body of " + body.length + " bytes is above maxOutputBytes " + maxOutput,
            coding,
            body.length,
            body.length);
      }
      return body;
    }
    try (InputStream in = wrap(new ByteArrayInputStream(body), coding)) {
      byte[] out = new byte[(int) Math.min(maxOutput + 1, Math.max(256, 4L * body.length))];
      int pos = 0;
      while (true) {
        if (pos == out.length) {
          out = Arrays.copyOf(out, (int) Math.min(maxOutput + 1, 2L * out.length));
        }
        int n = in.read(out, pos, out.length - pos);
        if (n < 0) {
          return Arrays.copyOf(out, pos);
        }
        pos += n;
      }
    } catch (DecompressionException e) {
      throw e;
    } catch (IOException e) {
      // ByteArrayInputStream does not fail, so anything else came from the codec.
      throw new DecompressionException(
          coding.token() + " input is corrupt: " + e.getMessage(), coding, false, e);
    }
  }

  /**
   * Decodes a whole body by its {@code Content-Encoding} header value.
   *
   * @param body the compressed bytes
   * @param contentEncoding the header value, or null for none
   * @return the decoded bytes
   * @throws IllegalArgumentException if the coding is not gzip, x-gzip, br, zstd or identity
   * @throws DecompressionBombException if a cap is passed
   * @throws DecompressionException if the body is corrupt or truncated
   */
  public byte[] decompress(byte[] body, String contentEncoding) throws DecompressionException {
    ContentCoding c =
        contentEncoding == null || contentEncoding.isBlank()
            ? ContentCoding.IDENTITY
            : ContentCoding.fromToken(contentEncoding);
    return decompress(body, c);
  }

  /**
   * Returns a stream that decodes {@code in} lazily under the caps. Reads throw {@link
   * DecompressionBombException} when a cap is passed and {@link DecompressionException} for corrupt
   * or truncated input; an {@link IOException} of {@code in} itself passes through. Closing it
   * closes {@code in}.
   *
   * @param in the compressed bytes
   * @param coding their coding
   * @return the decoded stream
   * @throws IOException if the decoder cannot start (for example its native library is missing)
   */
  public InputStream wrap(InputStream in, ContentCoding coding) throws IOException {
    Objects.requireNonNull(in, "in");
    LimitedDecoding.Source source = new LimitedDecoding.Source(in);
    InputStream decoder =
        switch (coding) {
          case GZIP -> new GzipDecoder(source);
          case BROTLI -> brotli(source);
          case ZSTD -> ZstdStreams.input(source, zstdWindowLogMax);
          case IDENTITY -> source;
        };
    return new LimitedDecoding(
        decoder, source, coding, maxOutput, maxRatio, ratioAfter, timers[coding.id], ticker);
  }

  private static InputStream brotli(InputStream source) throws IOException {
    if (!Brotli4jLoader.isAvailable()) {
      throw new IOException(
          "brotli is unavailable: its native library could not load",
          Brotli4jLoader.getUnavailabilityCause());
    }
    return new BrotliInputStream(source, 16 * 1024);
  }

  /**
   * Configures a {@link Decompressor}. Each setter checks its argument at once.
   *
   * <pre>{@code
   * Decompressor d = Decompressor.builder().maxOutputBytes(1 << 20).maxRatio(50).build();
   * }</pre>
   */
  public static final class Builder {
    private long maxOutput = 64L << 20;
    private long maxRatio = 100;
    private long ratioAfter = 1L << 20;
    private int zstdWindowLogMax = 24;
    private MeterRegistry registry;
    private Ticker ticker = Ticker.system();
    private String name = ResponseCompressor.DEFAULT_NAME;

    private Builder() {}

    /**
     * Sets the name the decompress durations are tagged with ({@code compressor=name}), normally
     * the name of the {@link ResponseCompressor} serving the same traffic.
     *
     * @param name 1 to 64 of {@code [A-Za-z0-9._-]}; default {@code "http"}
     * @return this builder
     * @throws IllegalArgumentException if the name is empty, too long or has other characters
     */
    public Builder name(String name) {
      this.name = CompressorNames.valid(name);
      return this;
    }

    /**
     * Sets the most decoded bytes one body may produce.
     *
     * @param bytes 1 to {@code Integer.MAX_VALUE - 8} (one-shot results are arrays); default 64 MiB
     * @return this builder
     * @throws IllegalArgumentException if outside that range
     */
    public Builder maxOutputBytes(long bytes) {
      this.maxOutput = range("maxOutputBytes", bytes, 1, Integer.MAX_VALUE - 8);
      return this;
    }

    /**
     * Sets the largest allowed expansion, decoded bytes over compressed bytes read.
     *
     * @param ratio 2 to 1,000,000; default 100 (JSON rarely passes 20x)
     * @return this builder
     * @throws IllegalArgumentException if outside that range
     */
    public Builder maxRatio(long ratio) {
      this.maxRatio = range("maxRatio", ratio, 2, 1_000_000);
      return this;
    }

    /**
     * Sets how many decoded bytes may come out before the ratio is checked, so small bodies of very
     * repetitive text are not refused.
     *
     * @param bytes 0 to {@code Integer.MAX_VALUE}; default 1 MiB
     * @return this builder
     * @throws IllegalArgumentException if outside that range
     */
    public Builder ratioCheckAfter(long bytes) {
      this.ratioAfter = range("ratioCheckAfter", bytes, 0, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Sets the largest zstd window accepted, as log2 of bytes; frames asking for more are refused
     * so a frame header cannot make us allocate a huge window.
     *
     * @param log 10 to 31; default 24 (16 MiB)
     * @return this builder
     * @throws IllegalArgumentException if outside that range
     */
    public Builder zstdWindowLogMax(int log) {
      this.zstdWindowLogMax = (int) range("zstdWindowLogMax", log, 10, 31);
      return this;
    }

    /**
     * Sets the registry for the decompress durations; without one nothing is recorded.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the time source for durations.
     *
     * @param ticker the ticker; default {@link Ticker#system()}
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Builds the decompressor.
     *
     * @return the decompressor
     */
    public Decompressor build() {
      return new Decompressor(this);
    }

    private static long range(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s must be in %d..%d, got %d", name, min, max, value));
      }
      return value;
    }
  }
}
