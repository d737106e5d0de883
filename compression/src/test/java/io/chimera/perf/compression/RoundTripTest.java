package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.core.Perf008;
import io.chimera.perf.testing.ChatCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RoundTripTest {

  static final int[] SIZES = {512, 768, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
  static final int SEEDS = 8;
  static final ContentCoding[] COMPRESSING = {
    ContentCoding.GZIP, ContentCoding.BROTLI, ContentCoding.ZSTD
  };

  static ResponseCompressor everything;
  static Decompressor decompressor;

  @BeforeAll
  static void setUp() {
    everything = ResponseCompressor.builder().minSize(0).build();
    decompressor = Decompressor.builder().build();
  }

  @AfterAll
  static void tearDown() {
    everything.close();
  }

  /** Mean space saved (1 - out/in) per size and coding over several seeds, at default levels. */
  static double[][] savings() {
    double[][] saved = new double[SIZES.length][COMPRESSING.length];
    for (int s = 0; s < SIZES.length; s++) {
      for (int c = 0; c < COMPRESSING.length; c++) {
        long in = 0;
        long out = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
          byte[] body = ChatCorpus.body(SIZES[s], seed * 7919L + SIZES[s]);
          CompressionResult r =
              everything.compress(body, "application/json", COMPRESSING[c].token());
          in += body.length;
          out += r.length();
        }
        saved[s][c] = 1 - (double) out / in;
      }
    }
    return saved;
  }

  /**
   * Per body, varied English JSON only beats the target from about 2.5 KiB (brotli from 2 KiB): at
   * 1 KiB the envelope (random id, fingerprint, usage numbers) and the cold start of every coder
   * leave ~40% saved. The 1 KiB default minimum is kept anyway (see the class notes in the report):
   * below it savings drop under 30% and amount to less than one TCP segment, above it they are
   * still worth sending. This test asserts the target per body where it holds (4 KiB and up, every
   * coding), prints the shortfalls, and {@link #byteWeightedRatioOfAMixAboveMinSize} asserts the
   * metric PERF-008 actually reads: the byte-weighted ratio of the traffic.
   */
  @Test
  void savingsBySizeAndCodingMeetTheTargetFrom4KiBAndAreReported() {
    double target = Perf008.KeyMetric.COMPRESSION_RATIO.target();
    double[][] saved = savings();
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            Locale.ROOT,
            "%n%8s %8s %8s %8s   (space saved, 1 - out/in, mean"
                + " of %d chat-completion bodies)%n",
            "size",
            "gzip-6",
            "br-4",
            "zstd-3",
            SEEDS));
    List<String> shortfalls = new ArrayList<>();
    for (int s = 0; s < SIZES.length; s++) {
      table.append(String.format(Locale.ROOT, "%8d", SIZES[s]));
      for (int c = 0; c < COMPRESSING.length; c++) {
        table.append(String.format(Locale.ROOT, " %7.1f%%", 100 * saved[s][c]));
        if (saved[s][c] <= target) {
          shortfalls.add(SIZES[s] + " B " + COMPRESSING[c].token());
        }
      }
      table.append('\n');
    }
    table.append("at or below the PERF-008 target ").append(target).append(": ").append(shortfalls);
    System.out.println(table);
    for (int s = 0; s < SIZES.length; s++) {
      for (int c = 0; c < COMPRESSING.length; c++) {
        if (SIZES[s] >= PER_BODY_FLOOR) {
          assertThat(saved[s][c])
              .as("%s at %d bytes", COMPRESSING[c].token(), SIZES[s])
              .isGreaterThan(target);
        }
      }
    }
  }

  /** From this body size up every coding beats the PERF-008 target on its own. */
  static final int PER_BODY_FLOOR = 4096;

  @Test
  void defaultMinimumSizeIsOneKiB() {
    try (ResponseCompressor defaults = ResponseCompressor.builder().build()) {
      assertThat(
              defaults.compress(ChatCorpus.body(1023, 1), "application/json", "gzip").compressed())
          .isFalse();
      assertThat(
              defaults.compress(ChatCorpus.body(1024, 1), "application/json", "gzip").compressed())
          .isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void byteWeightedRatioOfAMixAboveMinSize(ContentCoding coding) {
    double target = Perf008.KeyMetric.COMPRESSION_RATIO.target();
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    java.util.Random sizes = new java.util.Random(11);
    try (ResponseCompressor c =
        ResponseCompressor.builder().meterRegistry(registry).ticker(now::get).build()) {
      for (int i = 0; i < 200; i++) {
        // log-uniform between 1 KiB and 64 KiB: many small bodies, a few large ones
        int size = (int) Math.round(1024 * Math.pow(64, sizes.nextDouble()));
        c.compress(ChatCorpus.body(size, 1000 + i), "application/json", coding.token());
      }
      double ratio =
          registry
              .get(io.chimera.perf.core.MetricNames.COMPRESSION_RATIO)
              .tag(io.chimera.perf.core.MetricNames.TAG_ALGORITHM, coding.token())
              .gauge()
              .value();
      System.out.printf(
          Locale.ROOT,
          "%s byte-weighted saving, 200 bodies 1-64 KiB: %.1f%%%n",
          coding.token(),
          100 * ratio);
      assertThat(ratio).isGreaterThan(target);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void oneShotRoundTripsEverySize(ContentCoding coding) throws IOException {
    for (int size : SIZES) {
      byte[] body = ChatCorpus.body(size, size);
      CompressionResult r = everything.compress(body, "application/json", coding.token());
      assertThat(r.coding()).isEqualTo(coding);
      assertThat(r.contentEncoding()).contains(coding.token());
      assertThat(r.vary()).contains("Accept-Encoding");
      assertThat(decompressor.decompress(r.body(), coding)).isEqualTo(body);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void streamingRoundTripsInOddChunks(ContentCoding coding) throws IOException {
    byte[] body = ChatCorpus.body(65536, 42);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = everything.wrap(sink, coding)) {
      int pos = 0;
      int chunk = 1;
      while (pos < body.length) {
        int n = Math.min(chunk, body.length - pos);
        out.write(body, pos, n);
        pos += n;
        chunk = chunk * 3 + 1;
      }
      out.write('\n');
    }
    byte[] expected = java.util.Arrays.copyOf(body, body.length + 1);
    expected[body.length] = '\n';
    assertThat(decompressor.decompress(sink.toByteArray(), coding)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void byteBuffersHeapAndDirectRoundTripWithoutMovingThePosition(ContentCoding coding)
      throws IOException {
    byte[] body = ChatCorpus.body(4096, 3);
    ByteBuffer heap = ByteBuffer.allocate(body.length + 10);
    heap.position(10);
    heap.put(body).position(10);
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length);
    direct.put(body).flip();
    for (ByteBuffer b : List.of(heap, direct)) {
      int before = b.position();
      CompressionResult r = everything.compress(b, "application/json", coding.token());
      assertThat(b.position()).isEqualTo(before);
      ByteBuffer out = r.bodyBuffer();
      byte[] bytes = new byte[out.remaining()];
      out.get(bytes);
      assertThat(decompressor.decompress(bytes, coding)).isEqualTo(body);
    }
  }

  @Test
  void reusedCodecStateGivesIdenticalOutputAcrossCallsAndThreads() throws Exception {
    byte[] a = ChatCorpus.body(8192, 1);
    byte[] b = ChatCorpus.body(2048, 2);
    for (ContentCoding c : COMPRESSING) {
      byte[] first = everything.compress(a, "application/json", c.token()).body();
      everything.compress(b, "application/json", c.token());
      assertThat(everything.compress(a, "application/json", c.token()).body()).isEqualTo(first);
    }
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      int seed = t;
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 50; i++) {
                    byte[] body = ChatCorpus.body(1024 + 512 * (i % 8), seed * 100 + i);
                    ContentCoding c = COMPRESSING[i % 3];
                    byte[] z = everything.compress(body, "application/json", c.token()).body();
                    assertThat(decompressor.decompress(z, c)).isEqualTo(body);
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
  }
}
