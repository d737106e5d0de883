package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.ChatCorpus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Named compressors sharing a registry, the closed state, streaming flushes, native cleanup. */
class LifecycleAndStreamingTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  double bytesIn(String compressor) {
    return registry
        .get(MetricNames.COMPRESSION_BYTES_IN)
        .tag(MetricNames.TAG_ALGORITHM, "gzip")
        .tag(MetricNames.TAG_COMPRESSOR, compressor)
        .functionCounter()
        .count();
  }

  @Test
  void twoCompressorsOnOneRegistryKeepTheirOwnMeters() {
    ResponseCompressor cache =
        ResponseCompressor.builder().name("cache.prompts").meterRegistry(registry).build();
    try (ResponseCompressor http = ResponseCompressor.builder().meterRegistry(registry).build()) {
      http.compress(ChatCorpus.body(8192, 1), "application/json", "gzip");
      cache.compress(ChatCorpus.body(4096, 2), "application/json", "gzip");
      cache.compress(ChatCorpus.body(4096, 3), "application/json", "gzip");
      assertThat(bytesIn("http")).isEqualTo(8192);
      assertThat(bytesIn("cache.prompts")).isEqualTo(8192);
      cache.close();
      assertThat(
              registry
                  .find(MetricNames.COMPRESSION_BYTES_IN)
                  .tag(MetricNames.TAG_COMPRESSOR, "cache.prompts")
                  .meters())
          .isEmpty();
      http.compress(ChatCorpus.body(8192, 4), "application/json", "gzip");
      assertThat(bytesIn("http")).as("closing one leaves the other's meters").isEqualTo(16384);
    }
  }

  @Test
  void aSecondLiveCompressorOfTheSameNameOnOneRegistryIsRefusedUntilTheFirstCloses() {
    ResponseCompressor first = ResponseCompressor.builder().meterRegistry(registry).build();
    assertThatThrownBy(() -> ResponseCompressor.builder().meterRegistry(registry).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'http' is already live on this meter registry");
    try (ResponseCompressor elsewhere =
        ResponseCompressor.builder().meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThat(elsewhere.name()).isEqualTo("http");
    }
    first.close();
    try (ResponseCompressor again = ResponseCompressor.builder().meterRegistry(registry).build()) {
      again.compress(ChatCorpus.body(4096, 1), "application/json", "gzip");
      assertThat(bytesIn("http")).isEqualTo(4096);
    }
  }

  @Test
  void namesAreValidated() {
    assertThatThrownBy(() -> ResponseCompressor.builder().name(""))
        .hasMessage("name must be 1 to 64 of [A-Za-z0-9._-], got ''");
    assertThatThrownBy(() -> ResponseCompressor.builder().name("a b"))
        .hasMessageContaining("got 'a b'");
    assertThatThrownBy(() -> ResponseCompressor.builder().name("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Decompressor.builder().name("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decompressTimersCarryTheCompressorTag() throws IOException {
    Decompressor d = Decompressor.builder().name("cache.x").meterRegistry(registry).build();
    try (ResponseCompressor c = ResponseCompressor.builder().minSize(0).build()) {
      byte[] body = ChatCorpus.body(4096, 1);
      d.decompress(c.compress(body, "application/json", "gzip").body(), ContentCoding.GZIP);
    }
    assertThat(
            registry
                .get(MetricNames.COMPRESSION_DURATION)
                .tag(MetricNames.TAG_COMPRESSOR, "cache.x")
                .tag(MetricNames.TAG_ALGORITHM, "gzip")
                .tag(MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_DECOMPRESS)
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aClosedCompressorRefusesWork() {
    ResponseCompressor c = ResponseCompressor.builder().name("api").meterRegistry(registry).build();
    c.compress(ChatCorpus.body(4096, 1), "application/json", "zstd");
    c.close();
    c.close();
    byte[] body = ChatCorpus.body(4096, 1);
    assertThatThrownBy(() -> c.compress(body, "application/json", "zstd"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("compressor api is closed");
    assertThatThrownBy(() -> c.compress(ByteBuffer.wrap(body), "text/plain", "gzip"))
        .hasMessage("compressor api is closed");
    assertThatThrownBy(() -> c.wrap(new ByteArrayOutputStream(), ContentCoding.GZIP))
        .hasMessage("compressor api is closed");
    assertThat(registry.getMeters()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = ContentCoding.class,
      names = {"GZIP", "BROTLI", "ZSTD"})
  void aFlushedEventReachesTheClientBeforeTheStreamEnds(ContentCoding coding) throws IOException {
    try (ResponseCompressor c = ResponseCompressor.builder().meterRegistry(registry).build()) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      byte[] event =
          "event: token\ndata: {\"delta\":\"Hello\"}\n\n".getBytes(StandardCharsets.UTF_8);
      OutputStream out = c.wrap(wire, coding);
      out.write(event);
      out.flush();
      assertThat(decodeSoFar(coding, wire.toByteArray(), event.length))
          .as("decoded after flush")
          .isEqualTo(event);
      out.close();
    }
  }

  @Test
  void eventStreamsAreNotCompressedByDefaultButCanBeListed() {
    byte[] body = ChatCorpus.body(4096, 1);
    try (ResponseCompressor c = ResponseCompressor.builder().build()) {
      assertThat(c.compress(body, "text/event-stream", "gzip").compressed()).isFalse();
      assertThat(c.compress(body, "Text/Event-Stream; charset=utf-8", "gzip").compressed())
          .isFalse();
      assertThat(c.compress(body, "text/plain", "gzip").compressed()).isTrue();
    }
    try (ResponseCompressor c =
        ResponseCompressor.builder().contentTypes("text/event-stream").build()) {
      assertThat(c.compress(body, "text/event-stream", "gzip").compressed()).isTrue();
    }
  }

  @Test
  void droppedZstdStreamsAreFreedByTheCleaner() throws Exception {
    long before = ZstdStreams.ABANDONED.sum();
    try (ResponseCompressor c = ResponseCompressor.builder().build()) {
      dropStreams(c, 4);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (ZstdStreams.ABANDONED.sum() - before < 8 && System.nanoTime() < deadline) {
      System.gc();
      Thread.onSpinWait();
    }
    assertThat(ZstdStreams.ABANDONED.sum() - before)
        .as("4 compressing and 4 decoding streams dropped unclosed")
        .isGreaterThanOrEqualTo(8);
  }

  @Test
  void closedZstdStreamsAreNotCountedAsAbandoned() throws Exception {
    try (ResponseCompressor c = ResponseCompressor.builder().build()) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      try (OutputStream out = c.wrap(wire, ContentCoding.ZSTD)) {
        out.write(ChatCorpus.body(2048, 1));
      }
      try (InputStream in =
          Decompressor.builder()
              .build()
              .wrap(new ByteArrayInputStream(wire.toByteArray()), ContentCoding.ZSTD)) {
        assertThat(in.readAllBytes()).isEqualTo(ChatCorpus.body(2048, 1));
      }
    }
  }

  /**
   * Decodes the first {@code n} bytes from a stream that has not ended. brotli4j's {@code
   * BrotliInputStream.read(byte[], ...)} always asks its source for more input after filling the
   * buffer, so brotli is decoded with the raw JNI decoder here.
   */
  private static byte[] decodeSoFar(ContentCoding coding, byte[] soFar, int n) throws IOException {
    if (coding != ContentCoding.BROTLI) {
      try (InputStream in =
          Decompressor.builder().build().wrap(new ByteArrayInputStream(soFar), coding)) {
        return in.readNBytes(n);
      }
    }
    DecoderJNI.Wrapper decoder = new DecoderJNI.Wrapper(soFar.length);
    try {
      decoder.getInputBuffer().put(soFar);
      decoder.push(soFar.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (decoder.hasOutput()) {
        ByteBuffer chunk = decoder.pull();
        byte[] b = new byte[chunk.remaining()];
        chunk.get(b);
        out.write(b);
      }
      assertThat(decoder.getStatus()).isEqualTo(DecoderJNI.Status.NEEDS_MORE_INPUT);
      return out.toByteArray();
    } finally {
      decoder.destroy();
    }
  }

  private static void dropStreams(ResponseCompressor c, int n) throws IOException {
    byte[] body = ChatCorpus.body(2048, 1);
    for (int i = 0; i < n; i++) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      OutputStream out = c.wrap(wire, ContentCoding.ZSTD);
      out.write(body);
      out.flush();
      InputStream in =
          Decompressor.builder()
              .build()
              .wrap(new ByteArrayInputStream(wire.toByteArray()), ContentCoding.ZSTD);
      assertThat(in.read()).isEqualTo(body[0] & 0xff);
    }
  }
}
