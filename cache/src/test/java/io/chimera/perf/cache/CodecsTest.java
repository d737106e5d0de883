package io.chimera.perf.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chimera.perf.compression.ContentCoding;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
  void utf8KeepsARealReplacementCharacterAndRefusesEveryMalformedForm() {
    CacheCodec<String> c = CacheCodec.utf8();
    String ascii = "v".repeat(1024);
    assertThat(c.decode(c.encode(ascii))).isEqualTo(ascii);
    assertThat(c.decode(c.encode("a\uFFFDb"))).isEqualTo("a\uFFFDb");
    byte[][] malformed = {
      {'a', (byte) 0x80, 'b'}, // lone continuation byte
      {'a', (byte) 0xE2, (byte) 0x82}, // truncated at the end
      {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
      {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
    };
    for (byte[] bad : malformed) {
      assertThatThrownBy(() -> c.decode(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    byte[] inside = "xx\u00e9yy".getBytes(StandardCharsets.UTF_8);
    assertThat(c.decode(inside, 2, 2)).isEqualTo("\u00e9");
    assertThatThrownBy(() -> c.decode(inside, 2, 1)).isInstanceOf(IllegalArgumentException.class);
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
      byte[] stored = e.wrap(big, 1_765_000_000_123L);
      assertThat(stored.length).isLessThan(big.length / 4);
      assertThat(stored[0] & 0xFF).isEqualTo(Envelope.COMPRESSED);
      assertThat(Envelope.deadline(stored)).isEqualTo(1_765_000_000_123L);
      byte[] opened = e.open(stored);
      int off = Envelope.payloadOffset(stored, opened);
      assertThat(new String(opened, off, opened.length - off, StandardCharsets.UTF_8))
          .isEqualTo("abc".repeat(1000));
      byte[] small = e.wrap("hi".getBytes(StandardCharsets.UTF_8), Envelope.MIN_DEADLINE);
      assertThat(small[0]).isEqualTo(Envelope.PLAIN);
      assertThat(Envelope.deadline(small)).isEqualTo(Envelope.MIN_DEADLINE);
      byte[] openedSmall = e.open(small);
      int smallOff = Envelope.payloadOffset(small, openedSmall);
      assertThat(
              new String(
                  openedSmall, smallOff, openedSmall.length - smallOff, StandardCharsets.UTF_8))
          .isEqualTo("hi");
      byte[] absent = Envelope.absent(1_765_000_000_042L);
      assertThat(Envelope.isAbsent(absent)).isTrue();
      assertThat(Envelope.deadline(absent)).isEqualTo(1_765_000_000_042L);
      assertThatThrownBy(() -> Envelope.deadline(Envelope.absent(Envelope.MIN_DEADLINE - 1)))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("before 2020");
      // text never passes for an envelope: its first byte is never a marker, and 9 bytes of it are
      // no absent value ("°" and "é" start with the markers of an earlier draft, 0xC2 and 0xC3)
      for (String text : List.of("°Celsius", "é-planted-by-redis-cli", "{\"json\":1}", "")) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Envelope.isAbsent(bytes)).as(text).isFalse();
        assertThatThrownBy(() -> e.open(bytes)).isInstanceOf(Envelope.CorruptValueException.class);
      }
      assertThat(Envelope.isAbsent(small)).isFalse();
      assertThatThrownBy(() -> e.open("garbage".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("unknown marker");
      // the header-less layout of earlier builds: marker then payload
      assertThatThrownBy(() -> e.open(new byte[] {(byte) 0xC1, 'h', 'i'}))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("unknown marker byte 0xc1");
      assertThatThrownBy(() -> e.open(java.util.Arrays.copyOf(small, 5)))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("header cut short");
      assertThatThrownBy(() -> e.open(java.util.Arrays.copyOf(absent, 12)))
          .isInstanceOf(Envelope.CorruptValueException.class)
          .hasMessageContaining("absent marker");
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
