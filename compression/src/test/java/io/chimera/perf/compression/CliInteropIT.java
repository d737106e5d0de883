package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chimera.perf.testing.ChatCorpus;
import io.chimera.perf.testing.CommandLineTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interop with Debian's {@code gzip}, {@code brotli} and {@code zstd} command-line tools: our
 * output decodes with theirs and theirs with ours. A missing tool fails the test under CI=true (CI
 * installs them) and skips it elsewhere, saying how to install it.
 */
class CliInteropIT {

  static ResponseCompressor compressor;
  static final Decompressor DECOMPRESSOR = Decompressor.builder().build();

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    compressor = ResponseCompressor.builder().minSize(0).build();
  }

  @AfterAll
  static void tearDown() {
    compressor.close();
  }

  static String tool(ContentCoding coding) {
    return switch (coding) {
      case GZIP -> "gzip";
      case BROTLI -> "brotli";
      case ZSTD -> "zstd";
      case IDENTITY -> throw new IllegalArgumentException();
    };
  }

  static void requireTool(String name) {
    CommandLineTools.require(name, name);
  }

  byte[] run(List<String> command, Path input) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".bin");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectInput(input.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish in 60 s");
    }
    assertThat(p.exitValue()).as("%s: %s", command, Files.readString(err)).isZero();
    return Files.readAllBytes(out);
  }

  @ParameterizedTest(name = "{0} one-shot -> CLI")
  @CsvSource({"GZIP", "BROTLI", "ZSTD"})
  void ourOneShotOutputDecodesWithTheirTool(ContentCoding coding) throws Exception {
    requireTool(tool(coding));
    for (int size : new int[] {1024, 16384, 65536}) {
      byte[] body = ChatCorpus.body(size, size + 1);
      byte[] z = compressor.compress(body, "application/json", coding.token()).body();
      Path file = Files.write(dir.resolve("ours-" + size), z);
      assertThat(run(List.of(tool(coding), "-d", "-c"), file)).isEqualTo(body);
    }
  }

  @ParameterizedTest(name = "{0} streaming -> CLI")
  @CsvSource({"GZIP", "BROTLI", "ZSTD"})
  void ourStreamingOutputDecodesWithTheirTool(ContentCoding coding) throws Exception {
    requireTool(tool(coding));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = compressor.wrap(sink, coding)) {
      for (int i = 0; i < 10; i++) {
        byte[] part = ChatCorpus.body(5000 + 997 * i, i);
        out.write(part);
        out.flush();
        expected.write(part);
      }
    }
    Path file = Files.write(dir.resolve("ours-stream"), sink.toByteArray());
    assertThat(run(List.of(tool(coding), "-d", "-c"), file)).isEqualTo(expected.toByteArray());
  }

  @ParameterizedTest(name = "CLI {0} {1} -> ours")
  @CsvSource({
    "gzip, -1", "gzip, -6", "gzip, -9",
    "brotli, -q 1", "brotli, -q 5", "brotli, -q 11",
    "zstd, -1", "zstd, -3", "zstd, -19",
  })
  void theirOutputDecodesWithOurs(String name, String level) throws Exception {
    requireTool(name);
    byte[] body = ChatCorpus.body(65536, 77);
    Path file = Files.write(dir.resolve("plain.json"), body);
    List<String> command = new ArrayList<>(List.of(name, "-c"));
    command.addAll(List.of(level.split(" ")));
    byte[] z = run(command, file);
    ContentCoding coding =
        switch (name) {
          case "gzip" -> ContentCoding.GZIP;
          case "brotli" -> ContentCoding.BROTLI;
          default -> ContentCoding.ZSTD;
        };
    assertThat(DECOMPRESSOR.decompress(z, coding)).isEqualTo(body);
  }

  @ParameterizedTest(name = "CLI {0}: two members/frames -> ours")
  @CsvSource({"gzip", "zstd"})
  void theirConcatenatedOutputDecodesWithOurs(String name) throws Exception {
    requireTool(name);
    byte[] a = ChatCorpus.body(3000, 1);
    byte[] b = ChatCorpus.body(7000, 2);
    byte[] za = run(List.of(name, "-c"), Files.write(dir.resolve("a"), a));
    byte[] zb = run(List.of(name, "-c"), Files.write(dir.resolve("b"), b));
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(za);
    both.write(zb);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(a);
    expected.write(b);
    ContentCoding coding = name.equals("gzip") ? ContentCoding.GZIP : ContentCoding.ZSTD;
    assertThat(DECOMPRESSOR.decompress(both.toByteArray(), coding))
        .isEqualTo(expected.toByteArray());
  }
}
