package io.chimera.perf.benchmarks.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdCompressCtx;
import io.chimera.perf.compression.CompressionResult;
import io.chimera.perf.compression.ResponseCompressor;
import io.chimera.perf.testing.ChatCorpus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link ResponseCompressor} against the raw codec at the same level, same body, same run: JDK
 * {@link Deflater} (level 6, reused, gzip framing and CRC as ours), brotli4j's {@code
 * Encoder.compress} (quality 4, window 22, text mode) and zstd-jni's reused {@link ZstdCompressCtx}
 * (level 3, checksum on, as ours). Ours includes negotiation, content-type check and metrics.
 * Bodies are LLM-style chat-completion JSON of 1 KiB and 16 KiB.
 *
 * <p>MB/s = ops/s x size. The aux counters {@code inBytes}/{@code outBytes} are byte totals summed
 * over the measurement iterations; {@code 1 - outBytes/inBytes} is the space saved, which setup
 * also prints per coding and size for ours and for the raw codec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CompressionBenchmark {

  @Param({"1024", "16384"})
  public int size;

  @Param({"gzip", "br", "zstd"})
  public String coding;

  byte[] body;
  ResponseCompressor compressor;

  /** Bytes in and out, summed by JMH over the iterations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Bytes {
    public long inBytes;
    public long outBytes;

    @Setup(Level.Iteration)
    public void reset() {
      inBytes = 0;
      outBytes = 0;
    }
  }

  /** Per-thread raw codec state, reused like ours. */
  @State(Scope.Thread)
  public static class Raw {
    Deflater deflater;
    CRC32 crc;
    byte[] scratch;
    ZstdCompressCtx zstd;
    Encoder.Parameters brotli;

    @Setup
    public void setUp() {
      deflater = new Deflater(6, true);
      crc = new CRC32();
      scratch = new byte[128 * 1024];
      zstd = new ZstdCompressCtx();
      zstd.setLevel(3);
      zstd.setChecksum(true);
      Brotli4jLoader.ensureAvailability();
      brotli = new Encoder.Parameters().setQuality(4).setWindow(22).setMode(Encoder.Mode.TEXT);
    }

    @TearDown
    public void tearDown() {
      deflater.end();
      zstd.close();
    }
  }

  @Setup
  public void setUp() throws IOException {
    body = ChatCorpus.body(size, 20_240_601L + size);
    compressor = ResponseCompressor.builder().meterRegistry(new SimpleMeterRegistry()).build();
    Raw raw = new Raw();
    raw.setUp();
    int ours = ours(new Bytes()).length();
    int theirs = raw(raw, new Bytes()).length;
    raw.tearDown();
    System.out.printf(
        Locale.ROOT,
        "%n[compression] %s %d B: ours %d B (saved %.1f%%), raw %d B (saved %.1f%%)%n",
        coding,
        size,
        ours,
        100.0 * (1 - (double) ours / size),
        theirs,
        100.0 * (1 - (double) theirs / size));
  }

  @TearDown
  public void tearDown() {
    compressor.close();
  }

  @Benchmark
  public CompressionResult ours(Bytes bytes) {
    CompressionResult r = compressor.compress(body, "application/json", coding);
    bytes.inBytes += body.length;
    bytes.outBytes += r.length();
    return r;
  }

  @Benchmark
  public byte[] raw(Raw raw, Bytes bytes) throws IOException {
    byte[] out =
        switch (coding) {
          case "gzip" -> gzip(raw);
          case "br" -> Encoder.compress(body, raw.brotli);
          default -> raw.zstd.compress(body);
        };
    bytes.inBytes += body.length;
    bytes.outBytes += out.length;
    return out;
  }

  private byte[] gzip(Raw raw) {
    Deflater d = raw.deflater;
    d.reset();
    d.setInput(body);
    d.finish();
    byte[] out = raw.scratch;
    int pos = 10; // header bytes, as ours writes them
    while (!d.finished()) {
      pos += d.deflate(out, pos, out.length - 8 - pos);
    }
    raw.crc.reset();
    raw.crc.update(body);
    int crc = (int) raw.crc.getValue();
    for (int i = 0; i < 4; i++) {
      out[pos++] = (byte) (crc >>> (8 * i));
    }
    for (int i = 0; i < 4; i++) {
      out[pos++] = (byte) (body.length >>> (8 * i));
    }
    return Arrays.copyOf(out, pos);
  }
}
