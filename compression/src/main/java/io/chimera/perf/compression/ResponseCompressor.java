package io.chimera.perf.compression;

import com.sun.net.httpserver.Filter;
import io.chimera.perf.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses HTTP response bodies with gzip, brotli or zstd, chosen from the request's {@code
 * Accept-Encoding} per RFC 9110, and records the PERF-008 compression metrics.
 *
 * <p>A body is sent as it is when it is smaller than {@link Builder#minSize} (unless the client
 * refuses identity), when its content type is outside the allow-list, when it already has a content
 * coding, when the client accepts none of ours, or when compressing would not make it smaller.
 * Brotli and zstd are native: each loads on first need; one that cannot load is dropped from
 * negotiation, logged once and counted ({@code chimera.compression.fallbacks}), and the next
 * acceptable coding, normally gzip, serves; every response served that way is counted ({@code
 * chimera.compression.fallbacks}, tagged with the unavailable coding). Thread-safe; {@link
 * #close()} frees pooled native state and removes the meters, and a closed compressor refuses
 * further work.
 *
 * <p>Each compressor has a name ({@link Builder#name}, default {@code "http"}) that tags all of its
 * meters ({@code compressor=name}). Two live compressors may share a registry only under different
 * names: building a second one with the name of a live one on the same registry throws {@link
 * IllegalStateException} (its meters would be the first one's); closing the first frees the name.
 *
 * <pre>{@code
 * ResponseCompressor compressor = ResponseCompressor.builder().meterRegistry(registry).build();
 * CompressionResult r = compressor.compress(json, "application/json", request.acceptEncoding());
 * r.contentEncoding().ifPresent(v -> response.header("Content-Encoding", v));
 * r.vary().ifPresent(v -> response.header("Vary", v));
 * response.send(r.body());
 *
 * // or, for the JDK HttpServer:
 * server.createContext("/", handler).getFilters().add(compressor.httpFilter());
 * }</pre>
 */
public final class ResponseCompressor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseCompressor.class);

  /** The default compressor name, {@code "http"}. */
  public static final String DEFAULT_NAME = "http";

  private static final ContentCoding[] CODINGS = ContentCoding.values();
  static final int CODING_MASK = 0x0F;

  private final int gzipLevel;
  private final int brotliQuality;
  private final int brotliWindow;
  private final int zstdLevel;
  private final int minSize;
  private final ContentCoding[] preference;
  private final ContentTypes types;
  private final Ticker ticker;
  private final NativeCodecs natives;
  private final CompressionMetrics metrics;
  private final int poolSize;
  private final AtomicReferenceArray<Codec> codecs = new AtomicReferenceArray<>(CODINGS.length);
  private final String name;
  private final MeterRegistry registry;
  private final boolean[] configured;
  private volatile boolean[] usable;
  private volatile boolean degraded;
  private volatile boolean closed;

  private ResponseCompressor(Builder b) {
    this.name = b.name;
    this.registry = b.registry;
    this.gzipLevel = b.gzipLevel;
    this.brotliQuality = b.brotliQuality;
    this.brotliWindow = b.brotliWindow;
    this.zstdLevel = b.zstdLevel;
    this.minSize = b.minSize;
    this.preference = b.preference.toArray(new ContentCoding[0]);
    this.types = new ContentTypes(b.contentTypes);
    this.ticker = b.ticker;
    this.natives = new NativeCodecs(b.nativeLoader);
    CompressorNames.claim(b.registry, b.name);
    try {
      this.metrics = new CompressionMetrics(b.registry, b.name, b.ticker);
    } catch (RuntimeException e) {
      CompressorNames.release(b.registry, b.name);
      throw e;
    }
    this.poolSize = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    boolean[] u = new boolean[CODINGS.length];
    for (ContentCoding c : preference) {
      u[c.id] = true;
    }
    this.configured = u.clone();
    this.usable = u;
  }

  /**
   * Returns a builder with the defaults: gzip level 6, brotli quality 4 window 22, zstd level 3,
   * preference br, zstd, gzip, minimum size 1 KiB, JSON/text/JavaScript/XML/SVG content types
   * (server-sent events, {@code text/event-stream}, are not compressed by default: see {@link
   * Builder#contentTypes}), name {@code "http"}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Compresses a whole body when it should be; see the class doc for when it is sent as it is.
   * Never throws for a bad header or a codec failure: those send the body uncompressed.
   *
   * @param body the body
   * @param contentType the response's Content-Type, or null
   * @param acceptEncoding the request's Accept-Encoding, or null when absent
   * @return the body to send and its headers
   * @throws IllegalStateException if this compressor is closed
   */
  public CompressionResult compress(byte[] body, String contentType, String acceptEncoding) {
    return compress(body, 0, body.length, contentType, acceptEncoding, null);
  }

  /**
   * Like {@link #compress(byte[], String, String)} for a response that may already carry a
   * Content-Encoding; such a body is never encoded again.
   *
   * @param body the body
   * @param contentType the response's Content-Type, or null
   * @param acceptEncoding the request's Accept-Encoding, or null when absent
   * @param contentEncoding the response's current Content-Encoding, or null
   * @return the body to send and its headers
   * @throws IllegalStateException if this compressor is closed
   */
  public CompressionResult compress(
      byte[] body, String contentType, String acceptEncoding, String contentEncoding) {
    return compress(body, 0, body.length, contentType, acceptEncoding, contentEncoding);
  }

  /**
   * Like {@link #compress(byte[], String, String)} for the remaining bytes of a buffer, which is
   * not modified (its position stays). A heap buffer is read in place; a direct one is copied once.
   *
   * @param body the body
   * @param contentType the response's Content-Type, or null
   * @param acceptEncoding the request's Accept-Encoding, or null when absent
   * @return the body to send and its headers
   * @throws IllegalStateException if this compressor is closed
   */
  public CompressionResult compress(ByteBuffer body, String contentType, String acceptEncoding) {
    ensureOpen();
    if (body.hasArray()) {
      return compress(
          body.array(),
          body.arrayOffset() + body.position(),
          body.remaining(),
          contentType,
          acceptEncoding,
          null);
    }
    byte[] copy = new byte[body.remaining()];
    body.duplicate().get(copy);
    return compress(copy, 0, copy.length, contentType, acceptEncoding, null);
  }

  /**
   * Picks the coding for a request: the RFC 9110 negotiation among the available codings.
   *
   * @param acceptEncoding the request's Accept-Encoding, or null when absent
   * @return the chosen coding; identity when nothing else is acceptable or the header is malformed
   */
  public ContentCoding negotiate(String acceptEncoding) {
    return ContentCoding.byId(negotiateRaw(acceptEncoding) & CODING_MASK);
  }

  /**
   * Returns a stream that compresses everything written to it into {@code out}; closing it finishes
   * the coding, closes {@code out} and records the metrics. For identity {@code out} itself is
   * returned. Choose the coding with {@link #negotiate(String)}, which only offers codings that are
   * available.
   *
   * @param out where the compressed bytes go
   * @param coding the coding
   * @return the compressing stream
   * @throws IllegalStateException if the coding's native library cannot load, or this compressor is
   *     closed
   * @throws IOException if the codec cannot start
   */
  public OutputStream wrap(OutputStream out, ContentCoding coding) throws IOException {
    Objects.requireNonNull(out, "out");
    ensureOpen();
    if (coding == ContentCoding.IDENTITY) {
      return out;
    }
    if (!natives.available(coding)) {
      throw new IllegalStateException(
          coding.token() + " is unavailable: its native library could not load",
          natives.cause(coding));
    }
    MeteredStreams.Counting sink = new MeteredStreams.Counting(out);
    return new MeteredStreams.Compressing(codec(coding).wrap(sink), sink, coding, metrics, ticker);
  }

  /**
   * Returns a filter for the JDK {@code com.sun.net.httpserver.HttpServer} that compresses
   * responses with this compressor (same rules, same metrics). It decides when the handler calls
   * {@code sendResponseHeaders}, from the response's Content-Type and Content-Encoding and the
   * announced length; a compressed response is sent chunked.
   *
   * @return the filter
   */
  public Filter httpFilter() {
    return new JdkHttpFilter(this);
  }

  /**
   * Returns whether a coding can be used now, loading its native library if not yet tried.
   *
   * @param coding the coding
   * @return true when available
   */
  public boolean isAvailable(ContentCoding coding) {
    return natives.available(coding);
  }

  /**
   * Returns this compressor's name, the value of its meters' {@code compressor} tag.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Frees pooled native codec state, removes this compressor's meters and frees its name on the
   * registry. Afterwards {@code compress} and {@code wrap} throw {@link IllegalStateException};
   * streams already handed out still finish. Closing twice does nothing.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (int i = 0; i < CODINGS.length; i++) {
      Codec c = codecs.getAndSet(i, null);
      if (c != null) {
        c.close();
      }
    }
    metrics.close();
    CompressorNames.release(registry, name);
  }

  CompressionMetrics metrics() {
    return metrics;
  }

  NativeCodecs natives() {
    return natives;
  }

  /**
   * Decides a body: a coding id (>= 0, with {@link AcceptEncoding#IDENTITY_REFUSED} or'ed in when
   * the client refuses identity; mask with {@link #CODING_MASK}), or -(cause + 1) to send it as it
   * is.
   */
  int decide(long size, String contentType, String acceptEncoding, String contentEncoding) {
    if (contentEncoding != null
        && !contentEncoding.isEmpty()
        && !"identity".equalsIgnoreCase(contentEncoding)) {
      return -(CompressionMetrics.ALREADY_ENCODED + 1);
    }
    if (!types.matches(contentType)) {
      return -(CompressionMetrics.CONTENT_TYPE + 1);
    }
    int r = negotiateRaw(acceptEncoding);
    boolean identityRefused = (r & AcceptEncoding.IDENTITY_REFUSED) != 0;
    if (size >= 0 && size < minSize && !identityRefused) {
      return -(CompressionMetrics.TOO_SMALL + 1);
    }
    ContentCoding c = ContentCoding.byId(r & CODING_MASK);
    if (c == ContentCoding.IDENTITY) {
      return -(CompressionMetrics.NOT_ACCEPTED + 1);
    }
    return c.id | (r & AcceptEncoding.IDENTITY_REFUSED);
  }

  /** Whether a skip cause leaves the response dependent on Accept-Encoding. */
  static boolean varies(int cause) {
    return cause != CompressionMetrics.CONTENT_TYPE && cause != CompressionMetrics.ALREADY_ENCODED;
  }

  private CompressionResult compress(
      byte[] body,
      int off,
      int len,
      String contentType,
      String acceptEncoding,
      String contentEncoding) {
    ensureOpen();
    int d = decide(len, contentType, acceptEncoding, contentEncoding);
    if (d < 0) {
      int cause = -d - 1;
      metrics.skipped(cause, len);
      return new CompressionResult(ContentCoding.IDENTITY, body, off, len, varies(cause));
    }
    ContentCoding c = ContentCoding.byId(d & CODING_MASK);
    boolean identityRefused = (d & AcceptEncoding.IDENTITY_REFUSED) != 0;
    long t0 = ticker.read();
    byte[] out;
    try {
      out = codec(c).compress(body, off, len);
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} compression failed; sending the body uncompressed", c.token(), e);
      metrics.skipped(CompressionMetrics.ERROR, len);
      return new CompressionResult(ContentCoding.IDENTITY, body, off, len, true);
    }
    long nanos = ticker.read() - t0;
    if (out.length >= len && !identityRefused) {
      metrics.skipped(CompressionMetrics.INCOMPRESSIBLE, len);
      return new CompressionResult(ContentCoding.IDENTITY, body, off, len, true);
    }
    metrics.compressed(c, len, out.length, nanos);
    return new CompressionResult(c, out, 0, out.length, true);
  }

  /**
   * Negotiates among the available codings. Once a coding has been dropped, each negotiation whose
   * result differs from what the full preference would give counts one fallback for the unavailable
   * coding the client would have had (one extra header parse, only while degraded; no allocation).
   */
  private int negotiateRaw(String acceptEncoding) {
    int r;
    while (true) {
      r = AcceptEncoding.negotiate(acceptEncoding, preference, usable);
      ContentCoding c = ContentCoding.byId(r & CODING_MASK);
      if (natives.available(c)) {
        break;
      }
      dropUnavailable(c);
    }
    if (degraded) {
      int full = AcceptEncoding.negotiate(acceptEncoding, preference, configured);
      ContentCoding wanted = ContentCoding.byId(full & CODING_MASK);
      if (wanted.id != (r & CODING_MASK) && natives.knownUnavailable(wanted)) {
        metrics.fallback(wanted);
      }
    }
    return r;
  }

  private synchronized void dropUnavailable(ContentCoding c) {
    boolean[] next = usable.clone();
    next[c.id] = false;
    usable = next;
    degraded = true;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("compressor " + name + " is closed");
    }
  }

  private Codec codec(ContentCoding c) {
    int i = c.id;
    Codec k = codecs.get(i);
    if (k != null) {
      return k;
    }
    Codec made =
        switch (c) {
          case GZIP -> new GzipCodec(gzipLevel, poolSize);
          case BROTLI -> new BrotliCodec(brotliQuality, brotliWindow, poolSize);
          case ZSTD -> new ZstdCodec(zstdLevel, poolSize);
          case IDENTITY -> throw new IllegalArgumentException("identity has no codec");
        };
    if (codecs.compareAndSet(i, null, made)) {
      if (closed && codecs.compareAndSet(i, made, null)) {
        // close() ran between ensureOpen() and here: nobody else would free this codec.
        made.close();
        ensureOpen();
      }
      return made;
    }
    made.close();
    return codecs.get(i);
  }

  /**
   * Configures a {@link ResponseCompressor}. Each setter checks its argument at once.
   *
   * <pre>{@code
   * ResponseCompressor c = ResponseCompressor.builder()
   *     .preference(ContentCoding.ZSTD, ContentCoding.GZIP)
   *     .minSize(512)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private int gzipLevel = 6;
    private int brotliQuality = 4;
    private int brotliWindow = 22;
    private int zstdLevel = 3;
    private int minSize = 1024;
    private List<ContentCoding> preference =
        List.of(ContentCoding.BROTLI, ContentCoding.ZSTD, ContentCoding.GZIP);
    private List<String> contentTypes = ContentTypes.DEFAULTS;
    private MeterRegistry registry;
    private Ticker ticker = Ticker.system();
    private NativeLoader nativeLoader = NativeLoader.DEFAULT;
    private String name = DEFAULT_NAME;

    private Builder() {}

    /**
     * Names the compressor; the name tags all its meters ({@code compressor=name}). Compressors
     * sharing a registry need different names, for example {@code "http"} and {@code "cache.l2"}.
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
     * Sets the gzip (deflate) level.
     *
     * @param level 1 (fastest) to 9 (smallest); default 6
     * @return this builder
     * @throws IllegalArgumentException if outside 1..9
     */
    public Builder gzipLevel(int level) {
      this.gzipLevel = range("gzipLevel", level, 1, 9);
      return this;
    }

    /**
     * Sets the brotli quality. The library default, 11, is far too slow for a request path.
     *
     * @param quality 0 to 11; default 4
     * @return this builder
     * @throws IllegalArgumentException if outside 0..11
     */
    public Builder brotliQuality(int quality) {
      this.brotliQuality = range("brotliQuality", quality, 0, 11);
      return this;
    }

    /**
     * Sets the brotli window as log2 of its size.
     *
     * @param lgwin 10 to 24; default 22 (4 MiB)
     * @return this builder
     * @throws IllegalArgumentException if outside 10..24
     */
    public Builder brotliWindow(int lgwin) {
      this.brotliWindow = range("brotliWindow", lgwin, 10, 24);
      return this;
    }

    /**
     * Sets the zstd level.
     *
     * @param level 1 to 19; default 3
     * @return this builder
     * @throws IllegalArgumentException if outside 1..19
     */
    public Builder zstdLevel(int level) {
      this.zstdLevel = range("zstdLevel", level, 1, 19);
      return this;
    }

    /**
     * Sets the smallest body worth compressing; smaller ones go out as they are.
     *
     * @param bytes 0 or more; default 1024
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder minSize(int bytes) {
      this.minSize = range("minSize", bytes, 0, Integer.MAX_VALUE);
      return this;
    }

    /**
     * Sets the server's preference among codings, most preferred first; codings left out are never
     * used.
     *
     * @param codings one or more of gzip, br, zstd, no duplicates; default br, zstd, gzip
     * @return this builder
     * @throws IllegalArgumentException if empty, with identity or with a duplicate
     */
    public Builder preference(ContentCoding... codings) {
      List<ContentCoding> list = new ArrayList<>();
      for (ContentCoding c : codings) {
        Objects.requireNonNull(c, "coding");
        if (c == ContentCoding.IDENTITY || list.contains(c)) {
          throw new IllegalArgumentException(
              "preference must list gzip, br and/or zstd (never identity) at most once each, got "
                  + List.of(codings));
        }
        list.add(c);
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException("preference needs at least one of gzip, br, zstd");
      }
      this.preference = List.copyOf(list);
      return this;
    }

    /**
     * Replaces the content types worth compressing. {@code text/event-stream} (server-sent events)
     * matches only when listed itself, never through {@code text/*}; when listed, write each event
     * and {@code flush()} the stream from {@link #wrap}: every codec flushes what it has so far.
     *
     * @param patterns {@code type/subtype}, {@code type/*} or {@code *}{@code /*+suffix}
     * @return this builder
     * @throws IllegalArgumentException if a pattern is none of those
     */
    public Builder contentTypes(String... patterns) {
      List<String> list = new ArrayList<>();
      for (String p : patterns) {
        list.add(ContentTypes.validate(Objects.requireNonNull(p, "pattern")));
      }
      this.contentTypes = List.copyOf(list);
      return this;
    }

    /**
     * Sets the registry the compression meters go to; without one nothing is recorded.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the time source for durations and the 60 s ratio window.
     *
     * @param ticker the ticker; default {@link Ticker#system()}
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    Builder nativeLoader(NativeLoader loader) {
      this.nativeLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Builds the compressor. Native libraries are not loaded here but on first need.
     *
     * @return the compressor
     * @throws IllegalStateException if a live compressor of the same name uses the same registry
     */
    public ResponseCompressor build() {
      return new ResponseCompressor(this);
    }

    private static int range(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s must be in %d..%d, got %d", name, min, max, value));
      }
      return value;
    }
  }
}
