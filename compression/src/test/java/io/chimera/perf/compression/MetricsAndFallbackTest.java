package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Perf008;
import io.chimera.perf.core.PerformanceReview;
import io.chimera.perf.testing.ChatCorpus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsAndFallbackTest {

  final AtomicLong now = new AtomicLong();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  ResponseCompressor.Builder builder() {
    return ResponseCompressor.builder().meterRegistry(registry).ticker(now::get);
  }

  double gauge(String name, String algorithm) {
    return registry.get(name).tag(MetricNames.TAG_ALGORITHM, algorithm).gauge().value();
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void prometheusNamesMatchWhatPerf008sPromQlReads() {
    PrometheusMeterRegistry prom = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ResponseCompressor c = ResponseCompressor.builder().meterRegistry(prom).build()) {
      c.compress(ChatCorpus.body(8192, 1), "application/json", "gzip");
      String scrape = prom.scrape();
      assertThat(scrape)
          .contains(
              "chimera_compression_bytes_in_total{algorithm=\"gzip\",compressor=\"http\"} 8192")
          .contains("chimera_compression_bytes_out_total{algorithm=\"gzip\",compressor=\"http\"}")
          .contains("chimera_compression_ratio{algorithm=\"gzip\",compressor=\"http\"}")
          .contains(
              "chimera_compression_duration_seconds_count{algorithm=\"gzip\",compressor=\"http\","
                  + "direction=\"compress\"} 1")
          .contains(
              "chimera_compression_response_size_bytes_count{algorithm=\"gzip\","
                  + "compressor=\"http\"} 1")
          .contains(
              "chimera_compression_skipped_total{algorithm=\"identity\",compressor=\"http\","
                  + "reason=\"too_small\"} 0")
          .contains(
              "chimera_compression_size_anomalies_total{algorithm=\"gzip\",compressor=\"http\"} 0");
    }
  }

  @Test
  void ratioGaugeIsSpaceSavedOverTheLast60Seconds() {
    try (ResponseCompressor c = builder().build()) {
      assertThat(gauge(MetricNames.COMPRESSION_RATIO, "br")).isNaN();
      c.compress(ChatCorpus.body(16384, 1), "application/json", "br");
      double good = gauge(MetricNames.COMPRESSION_RATIO, "br");
      assertThat(good).isGreaterThan(Perf008.KeyMetric.COMPRESSION_RATIO.target());
      double in = counter(MetricNames.COMPRESSION_BYTES_IN, MetricNames.TAG_ALGORITHM, "br");
      double out = counter(MetricNames.COMPRESSION_BYTES_OUT, MetricNames.TAG_ALGORITHM, "br");
      assertThat(good).isCloseTo(1 - out / in, org.assertj.core.data.Offset.offset(1e-9));
      // a minute later only new traffic counts: poorly compressible bodies drag it down
      now.addAndGet(Duration.ofSeconds(61).toNanos());
      byte[] noisy = new byte[8192];
      new java.util.Random(3).nextBytes(noisy);
      for (int i = 0; i < noisy.length; i += 2) {
        noisy[i] = 'a';
      }
      c.compress(noisy, "text/plain", "br");
      assertThat(gauge(MetricNames.COMPRESSION_RATIO, "br")).isLessThan(good);
    }
  }

  @Test
  void skippedBodiesAreCountedByReason() {
    try (ResponseCompressor c = builder().build()) {
      byte[] body = ChatCorpus.body(4096, 1);
      byte[] random = new byte[4096];
      new java.util.Random(1).nextBytes(random);
      c.compress(ChatCorpus.body(600, 1), "application/json", "gzip");
      c.compress(body, "image/png", "gzip");
      c.compress(body, "application/json", "gzip", "br");
      c.compress(body, "application/json", "deflate");
      c.compress(random, "text/plain", "gzip");
      for (String reason :
          List.of(
              "too_small", "content_type", "already_encoded", "not_accepted", "incompressible")) {
        assertThat(
                counter(
                    MetricNames.COMPRESSION_SKIPPED,
                    MetricNames.TAG_ALGORITHM,
                    "identity",
                    MetricNames.TAG_REASON,
                    reason))
            .as(reason)
            .isEqualTo(1);
      }
      assertThat(
              registry
                  .get(MetricNames.COMPRESSION_RESPONSE_SIZE)
                  .tag(MetricNames.TAG_ALGORITHM, "identity")
                  .summary()
                  .count())
          .isEqualTo(5);
    }
  }

  @Test
  void durationsAreTimedWithTheTicker() {
    try (ResponseCompressor c =
        ResponseCompressor.builder()
            .meterRegistry(registry)
            .ticker(() -> now.getAndAdd(1_000_000))
            .build()) {
      c.compress(ChatCorpus.body(4096, 1), "application/json", "zstd");
      assertThat(
              registry
                  .get(MetricNames.COMPRESSION_DURATION)
                  .tag(MetricNames.TAG_ALGORITHM, "zstd")
                  .tag(MetricNames.TAG_DIRECTION, MetricNames.DIRECTION_COMPRESS)
                  .timer()
                  .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
          .isEqualTo(1.0);
    }
  }

  @Test
  void streamingRecordsBytesAndSizeWhenClosed() throws Exception {
    try (ResponseCompressor c = builder().build()) {
      byte[] body = ChatCorpus.body(20000, 1);
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream out = c.wrap(sink, ContentCoding.GZIP)) {
        out.write(body);
      }
      assertThat(counter(MetricNames.COMPRESSION_BYTES_IN, MetricNames.TAG_ALGORITHM, "gzip"))
          .isEqualTo(20000);
      assertThat(counter(MetricNames.COMPRESSION_BYTES_OUT, MetricNames.TAG_ALGORITHM, "gzip"))
          .isEqualTo(sink.size());
    }
  }

  @Test
  void sizeAnomaliesAreResponsesFarFromTheUsualSize() {
    try (ResponseCompressor c = builder().build()) {
      java.util.Random r = new java.util.Random(7);
      for (int i = 0; i < 300; i++) {
        c.compress(ChatCorpus.body(3000 + r.nextInt(3000), i), "application/json", "gzip");
      }
      assertThat(counter(MetricNames.COMPRESSION_SIZE_ANOMALIES, MetricNames.TAG_ALGORITHM, "gzip"))
          .as("usual sizes are not anomalies")
          .isZero();
      c.compress(ChatCorpus.body(65536, 1), "application/json", "gzip");
      c.compress(ChatCorpus.body(600, 1), "application/json", "gzip");
      assertThat(counter(MetricNames.COMPRESSION_SIZE_ANOMALIES, MetricNames.TAG_ALGORITHM, "gzip"))
          .isEqualTo(1);
      assertThat(
              counter(
                  MetricNames.COMPRESSION_SIZE_ANOMALIES, MetricNames.TAG_ALGORITHM, "identity"))
          .isEqualTo(1);
    }
  }

  @Test
  void reviewReadsTheRatioGauge() {
    try (ResponseCompressor c = builder().build()) {
      c.compress(ChatCorpus.body(16384, 2), "application/json", "gzip");
      PerformanceReview.Row row =
          PerformanceReview.review(registry).rows().stream()
              .filter(x -> x.metric() == Perf008.KeyMetric.COMPRESSION_RATIO)
              .findFirst()
              .orElseThrow();
      assertThat(row.status()).isEqualTo(Perf008.Status.OK);
      assertThat(row.value()).isGreaterThan(Perf008.KeyMetric.COMPRESSION_RATIO.target());
    }
  }

  @Test
  void closeRemovesTheMeters() {
    ResponseCompressor c = builder().build();
    assertThat(registry.find(MetricNames.COMPRESSION_RATIO).gauges()).isNotEmpty();
    c.close();
    assertThat(registry.find(MetricNames.COMPRESSION_RATIO).gauges()).isEmpty();
  }

  @Test
  void unloadableNativeCodecFallsBackToGzipLoggedOnceAndCounted() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    List<ContentCoding> loaded = new ArrayList<>();
    try (ResponseCompressor c =
        builder()
            .nativeLoader(
                coding -> {
                  if (coding == ContentCoding.BROTLI) {
                    attempts.incrementAndGet();
                    throw new UnsatisfiedLinkError("no brotli for this platform (simulated)");
                  }
                  loaded.add(coding);
                  NativeLoader.DEFAULT.load(coding);
                })
            .build()) {
      assertThat(attempts).as("nothing loads at build time").hasValue(0);
      byte[] body = ChatCorpus.body(4096, 1);
      for (int i = 0; i < 3; i++) {
        CompressionResult r = c.compress(body, "application/json", "br, gzip");
        assertThat(r.coding()).isEqualTo(ContentCoding.GZIP);
        assertThat(Decompressor.builder().build().decompress(r.body(), ContentCoding.GZIP))
            .isEqualTo(body);
      }
      assertThat(attempts).as("tried once").hasValue(1);
      assertThat(c.natives().loadFailures()).isEqualTo(1);
      assertThat(c.isAvailable(ContentCoding.BROTLI)).isFalse();
      assertThat(counter(MetricNames.COMPRESSION_FALLBACKS, MetricNames.TAG_ALGORITHM, "br"))
          .as("each response that wanted br and got gzip")
          .isEqualTo(3);
      assertThat(c.negotiate("br")).isEqualTo(ContentCoding.IDENTITY);
      assertThat(c.negotiate("*")).isEqualTo(ContentCoding.ZSTD);
      assertThat(counter(MetricNames.COMPRESSION_FALLBACKS, MetricNames.TAG_ALGORITHM, "br"))
          .as("br-only went out as identity, * got zstd instead of br")
          .isEqualTo(5);
      c.compress(body, "application/json", "gzip");
      c.compress(body, "image/png", "br");
      assertThat(counter(MetricNames.COMPRESSION_FALLBACKS, MetricNames.TAG_ALGORITHM, "br"))
          .as("not counted when the client did not want br or nothing was negotiated")
          .isEqualTo(5);
      assertThat(loaded).containsExactly(ContentCoding.ZSTD);
      assertThatThrownBy(() -> c.wrap(new ByteArrayOutputStream(), ContentCoding.BROTLI))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("br is unavailable")
          .hasRootCauseMessage("no brotli for this platform (simulated)");
    }
  }

  @Test
  void everyNativeCodecDownStillServesGzip() {
    try (ResponseCompressor c =
        builder()
            .nativeLoader(
                coding -> {
                  throw new IllegalStateException("simulated");
                })
            .build()) {
      assertThat(c.negotiate("br, zstd, gzip;q=0.1")).isEqualTo(ContentCoding.GZIP);
      assertThat(counter(MetricNames.COMPRESSION_FALLBACKS, MetricNames.TAG_ALGORITHM, "br"))
          .isEqualTo(1);
      assertThat(counter(MetricNames.COMPRESSION_FALLBACKS, MetricNames.TAG_ALGORITHM, "zstd"))
          .as("the client wanted br most; zstd was never what it would have got")
          .isZero();
      assertThat(c.negotiate("zstd, gzip;q=0.1")).isEqualTo(ContentCoding.GZIP);
      assertThat(counter(MetricNames.COMPRESSION_FALLBACKS, MetricNames.TAG_ALGORITHM, "zstd"))
          .isEqualTo(1);
    }
  }

  @Test
  void builderRejectsBadValuesWithTheValueAndRange() {
    assertThatThrownBy(() -> ResponseCompressor.builder().gzipLevel(0))
        .hasMessage("gzipLevel must be in 1..9, got 0");
    assertThatThrownBy(() -> ResponseCompressor.builder().brotliQuality(12))
        .hasMessage("brotliQuality must be in 0..11, got 12");
    assertThatThrownBy(() -> ResponseCompressor.builder().brotliWindow(25))
        .hasMessage("brotliWindow must be in 10..24, got 25");
    assertThatThrownBy(() -> ResponseCompressor.builder().zstdLevel(20))
        .hasMessage("zstdLevel must be in 1..19, got 20");
    assertThatThrownBy(() -> ResponseCompressor.builder().minSize(-1))
        .hasMessage("minSize must be in 0..2147483647, got -1");
    assertThatThrownBy(() -> ResponseCompressor.builder().preference())
        .hasMessageContaining("at least one");
    assertThatThrownBy(
            () -> ResponseCompressor.builder().preference(ContentCoding.GZIP, ContentCoding.GZIP))
        .hasMessageContaining("at most once");
    assertThatThrownBy(() -> ResponseCompressor.builder().preference(ContentCoding.IDENTITY))
        .hasMessageContaining("identity");
    assertThatThrownBy(() -> ResponseCompressor.builder().contentTypes("json"))
        .hasMessageContaining("'json'");
  }
}
