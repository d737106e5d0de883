package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.compression.ContentCoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecsTest {

  record User(String name, int age) {}

  @Test
  void utf8RoundTripsAndRefusesMalformedBytes() {
    CacheCodec<String> c = CacheCodec.utf8();
    assertThat(c.decode(c.encode("grüße ✓"))).isEqualTo("grüße ✓");
    assertThatThrownBy(() -> c.decode(new byte[] {(byte) 0xC3, (byte) 0x28}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void bytesAreCopiedBothWays() {
    byte[] in = {1, 2, 3};
    byte[] encoded = CacheCodec.bytes().encode(in);
    in[0] = 9;
    assertThat(encoded).containsExactly(1, 2, 3);
    assertThat(CacheCodec.bytes().decode(encoded, 1, 2)).containsExactly(2, 3);
  }

  @Test
  void jsonRoundTripsARecordAndRefusesGarbage() {
    CacheCodec<User> c = CacheCodec.json(User.class);
    assertThat(c.decode(c.encode(new User("ada", 36)))).isEqualTo(new User("ada", 36));
    assertThatThrownBy(() -> c.decode("{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("not a JSON");
  }

  @Test
  void envelopeCompressesLargeValuesAndRejectsForeignBytes() throws Exception {
    try (Envelope e =
        new Envelope(
            Envelope.compressorFor(
                "codecs",
                ContentCoding.GZIP,
                64,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
            ContentCoding.GZIP,
            64,
            1 << 20)) {
      byte[] big = "abc".repeat(1000).getBytes(StandardCharsets.UTF_8);
      byte[] stored = e.wrap(big);
      assertThat(stored.length).isLessThan(big.length / 4);
      byte[] opened = e.open(stored);
      int off = Envelope.payloadOffset(stored, opened);
      assertThat(new String(opened, off, opened.length - off, StandardCharsets.UTF_8))
          .isEqualTo("abc".repeat(1000));
      byte[] small = e.wrap("hi".getBytes(StandardCharsets.UTF_8));
      assertThat(small[0]).isEqualTo(Envelope.PLAIN);
      assertThatThrownBy(() -> e.open("garbage".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("unknown marker");
      byte[] truncated = java.util.Arrays.copyOf(stored, stored.length / 2);
      assertThatThrownBy(() -> e.open(truncated))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("gzip");
    }
  }

  @Test
  void eachCacheCompressesUnderItsOwnNameWithinTheLimit() {
    assertThat(Envelope.compressorName("prompts")).isEqualTo("cache.prompts");
    String longName = "x".repeat(64);
    assertThat(Envelope.compressorName(longName))
        .hasSize(64)
        .isNotEqualTo(Envelope.compressorName("x".repeat(63) + "y"));
  }
}
