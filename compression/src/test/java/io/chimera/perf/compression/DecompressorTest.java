package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chimera.perf.testing.ChatCorpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DecompressorTest {

  static final long TEN_GB = 10L * 1000 * 1000 * 1000;

  final Decompressor decompressor = Decompressor.builder().build();
  final ResponseCompressor compressor = ResponseCompressor.builder().minSize(0).build();

  /** Reads a stream to the end through a fixed 8 KiB buffer, keeping nothing. */
  static long drain(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
    }
    return total;
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void tenGigabyteBombIsRefusedByTheRatioCapAfterAFewKb(ContentCoding coding) throws IOException {
    Bomb bomb = new Bomb(coding, TEN_GB);
    DecompressionBombException e =
        catchThrowableOfType(
            DecompressionBombException.class, () -> drain(decompressor.wrap(bomb, coding)));
    assertThat(e).isNotNull();
    assertThat(e.coding()).isEqualTo(coding);
    assertThat(e.getMessage()).contains("maxRatio");
    System.out.printf(
        java.util.Locale.ROOT,
        "10 GB %s bomb refused after %d compressed bytes read, %d decoded%n",
        coding.token(),
        bomb.bytesServed,
        e.outputBytes());
    assertThat(bomb.bytesServed).as("compressed bytes read").isLessThan(16 * 1024);
    assertThat(e.outputBytes()).as("decoded before refusing").isLessThan(2L << 20);
    assertThat(bomb.zerosEncoded).as("bomb never materialised").isLessThan(64L << 20);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void tenGigabyteBombIsRefusedByTheOutputCapEvenWithoutARatioCap(ContentCoding coding)
      throws IOException {
    Decompressor lenient =
        Decompressor.builder().maxRatio(1_000_000).maxOutputBytes(8L << 20).build();
    Bomb bomb = new Bomb(coding, TEN_GB);
    DecompressionBombException e =
        catchThrowableOfType(
            DecompressionBombException.class, () -> drain(lenient.wrap(bomb, coding)));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("maxOutputBytes");
    assertThat(e.outputBytes()).isEqualTo((8L << 20) + 1);
    assertThat(bomb.bytesServed).isLessThan(64 * 1024);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void oneShotDecompressOfABombPrefixIsRefusedToo(ContentCoding coding) throws IOException {
    Bomb bomb = new Bomb(coding, TEN_GB);
    byte[] prefix = bomb.readNBytes(32 * 1024);
    assertThatThrownBy(() -> decompressor.decompress(prefix, coding))
        .isInstanceOf(DecompressionBombException.class);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void legitimateRepetitiveBodiesBelowTheRatioGracePass(ContentCoding coding) throws IOException {
    byte[] zeros = new byte[512 * 1024]; // compresses > 100x, but is only 512 KiB
    byte[] z = compressor.compress(zeros, "text/plain", coding.token()).body();
    assertThat((double) zeros.length / z.length).isGreaterThan(100);
    assertThat(decompressor.decompress(z, coding)).isEqualTo(zeros);
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void truncatedInputIsATypedTruncationError(ContentCoding coding) {
    byte[] body = ChatCorpus.body(16384, 4);
    byte[] z = compressor.compress(body, "application/json", coding.token()).body();
    for (int cut : new int[] {z.length / 2, z.length - 1}) {
      byte[] truncated = Arrays.copyOf(z, cut);
      DecompressionException e =
          catchThrowableOfType(
              DecompressionException.class, () -> decompressor.decompress(truncated, coding));
      assertThat(e).as("cut at %d of %d", cut, z.length).isNotNull();
      assertThat(e).isNotInstanceOf(DecompressionBombException.class);
      assertThat(e.truncated()).as("cut at %d", cut).isTrue();
      assertThat(e.coding()).isEqualTo(coding);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "BROTLI", "ZSTD"})
  void garbageIsATypedCorruptionError(ContentCoding coding) {
    byte[] garbage = new byte[4096];
    new Random(1).nextBytes(garbage);
    DecompressionException e =
        catchThrowableOfType(
            DecompressionException.class, () -> decompressor.decompress(garbage, coding));
    assertThat(e).isNotNull();
    assertThat(e.truncated()).isFalse();
    assertThat(e.getMessage()).contains(coding.token()).contains("corrupt");
  }

  @ParameterizedTest
  @EnumSource(names = {"GZIP", "ZSTD"})
  void aFlippedByteIsCaughtByTheChecksum(ContentCoding coding) {
    byte[] body = ChatCorpus.body(16384, 5);
    byte[] z = compressor.compress(body, "application/json", coding.token()).body();
    z[z.length / 2] ^= 0x40;
    assertThatThrownBy(() -> decompressor.decompress(z, coding))
        .isInstanceOf(DecompressionException.class);
  }

  @Test
  void emptyInputIsTruncatedForEveryCoding() {
    for (ContentCoding c :
        new ContentCoding[] {ContentCoding.GZIP, ContentCoding.BROTLI, ContentCoding.ZSTD}) {
      DecompressionException e =
          catchThrowableOfType(
              DecompressionException.class, () -> decompressor.decompress(new byte[0], c));
      assertThat(e).as(c.token()).isNotNull();
    }
  }

  @Test
  void concatenatedGzipMembersDecodeToTheConcatenatedBodies() throws IOException {
    byte[] a = ChatCorpus.body(3000, 1);
    byte[] b = ChatCorpus.body(5000, 2);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(compressor.compress(a, "application/json", "gzip").body());
    both.write(compressor.compress(b, "application/json", "gzip").body());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(a);
    expected.write(b);
    assertThat(decompressor.decompress(both.toByteArray(), ContentCoding.GZIP))
        .isEqualTo(expected.toByteArray());
    // and when the source hands out one byte at a time (no reliance on available())
    InputStream trickle =
        new ByteArrayInputStream(both.toByteArray()) {
          @Override
          public synchronized int read(byte[] buf, int off, int len) {
            return super.read(buf, off, Math.min(len, 1));
          }

          @Override
          public synchronized int available() {
            return 0;
          }
        };
    assertThat(decompressor.wrap(trickle, ContentCoding.GZIP).readAllBytes())
        .isEqualTo(expected.toByteArray());
  }

  @Test
  void bytesAfterTheLastGzipMemberAreCorrupt() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(compressor.compress(ChatCorpus.body(2000, 1), "application/json", "gzip").body());
    out.write(new byte[] {1, 2, 3, 4});
    assertThatThrownBy(() -> decompressor.decompress(out.toByteArray(), ContentCoding.GZIP))
        .isInstanceOf(DecompressionException.class)
        .hasMessageContaining("after the last member");
  }

  @Test
  void aFailingSourcePassesItsOwnExceptionThrough() {
    IOException down = new IOException("connection reset");
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw down;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw down;
          }
        };
    for (ContentCoding c :
        new ContentCoding[] {ContentCoding.GZIP, ContentCoding.BROTLI, ContentCoding.ZSTD}) {
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> drain(decompressor.wrap(failing, c)));
      assertThat(t).as(c.token()).isSameAs(down);
    }
  }

  @Test
  void identityIsCappedAndContentEncodingTokensAreParsed() throws IOException {
    Decompressor small = Decompressor.builder().maxOutputBytes(10).build();
    assertThatThrownBy(() -> small.decompress(new byte[11], (String) null))
        .isInstanceOf(DecompressionBombException.class);
    byte[] body = ChatCorpus.body(2000, 3);
    byte[] z = compressor.compress(body, "application/json", "gzip").body();
    assertThat(decompressor.decompress(z, "X-GZIP")).isEqualTo(body);
    assertThatThrownBy(() -> decompressor.decompress(z, "compress"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compress");
  }

  @Test
  void builderRejectsOutOfRangeValuesWithTheValueAndRange() {
    assertThatThrownBy(() -> Decompressor.builder().maxOutputBytes(0))
        .hasMessage("maxOutputBytes must be in 1..2147483639, got 0");
    assertThatThrownBy(() -> Decompressor.builder().maxRatio(1))
        .hasMessage("maxRatio must be in 2..1000000, got 1");
    assertThatThrownBy(() -> Decompressor.builder().zstdWindowLogMax(32))
        .hasMessage("zstdWindowLogMax must be in 10..31, got 32");
    assertThatThrownBy(() -> Decompressor.builder().ratioCheckAfter(-1))
        .hasMessageContaining("got -1");
  }
}
