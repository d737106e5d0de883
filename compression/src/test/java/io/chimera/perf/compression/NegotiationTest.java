package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.chimera.perf.testing.ChatCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NegotiationTest {

  static final ResponseCompressor DEFAULT = ResponseCompressor.builder().build();
  static final ResponseCompressor GZIP_FIRST =
      ResponseCompressor.builder()
          .preference(ContentCoding.GZIP, ContentCoding.ZSTD, ContentCoding.BROTLI)
          .build();

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        // RFC 9110 section 12.5.3 examples
        "compress, gzip                  | gzip",
        "''                              | identity",
        "*                               | br",
        "compress;q=0.5, gzip;q=1.0      | gzip",
        "gzip;q=1.0, identity; q=0.5, *;q=0 | gzip",
        // absent header: identity (old clients)
        "NULL                            | identity",
        // server preference breaks ties
        "gzip, deflate, br, zstd         | br",
        "gzip, zstd                      | zstd",
        // q-values beat preference
        "br;q=0.5, gzip;q=0.9            | gzip",
        "br;q=0.9, zstd;q=1              | zstd",
        "br;q=0.001, gzip;q=0            | br",
        "br;q=0, zstd;q=0, gzip;q=0      | identity",
        // * covers what is not listed, its own weight applies
        "*;q=0.1, gzip;q=0.5             | gzip",
        "gzip;q=0.2, *;q=0.8             | br",
        "*;q=0, gzip                     | gzip",
        "br;q=0, *                       | zstd",
        // identity
        "identity                        | identity",
        "identity;q=0                    | identity",
        "gzip;q=0.5, identity;q=0.8      | identity",
        "gzip;q=0.5, identity;q=0.5      | gzip",
        // x-gzip alias, case and whitespace
        "x-gzip                          | gzip",
        "GZIP                            | gzip",
        "  Br ;  Q=0.7 ,\tgzip;q=0.6     | br",
        "gzip,,,br                       | br",
        // unknown codings are ignored
        "deflate, compress               | identity",
        // malformed: identity, never an exception
        "gzip;q=1.5                      | identity",
        "gzip;q=0.1234                   | identity",
        "gzip;level=9                    | identity",
        "gzip;q=                         | identity",
        "gzip br                         | identity",
        "gzip;q=abc, br                  | identity",
        "=gzip                           | identity",
        "gzip;q=0.5 junk                 | identity",
      })
  void negotiatesPerRfc9110(String header, String expected) {
    assertThat(DEFAULT.negotiate(header).token()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gzip, br, zstd                  | gzip",
        "*                               | gzip",
        "br, zstd                        | zstd",
      })
  void serverPreferenceIsConfigurable(String header, String expected) {
    assertThat(GZIP_FIRST.negotiate(header).token()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gzip, identity;q=0              | gzip",
        "br, *;q=0                       | br",
        "identity;q=0                    | identity",
      })
  void refusingIdentityCompressesEvenBelowMinSize(String header, String expected) {
    CompressionResult r =
        DEFAULT.compress(
            "{\"a\":\"tiny tiny tiny tiny\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "application/json",
            header);
    assertThat(r.coding().token()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "application/json                         | true",
        "application/json; charset=utf-8          | true",
        "Application/JSON                         | true",
        "text/html                                | true",
        "text/plain;charset=us-ascii              | true",
        "application/javascript                   | true",
        "application/xml                          | true",
        "image/svg+xml                            | true",
        "application/vnd.api+json                 | true",
        "application/problem+xml                  | true",
        "image/png                                | false",
        "application/octet-stream                 | false",
        "application/zip                          | false",
        "application/jsonx                        | false",
        "text                                     | false",
        "NULL                                     | false",
      })
  void contentTypeAllowList(String contentType, boolean compressed) {
    byte[] body = ChatCorpus.body(4096, 9);
    CompressionResult r = DEFAULT.compress(body, contentType, "gzip");
    assertThat(r.compressed()).isEqualTo(compressed);
    assertThat(r.vary().isPresent()).isEqualTo(compressed);
  }

  @org.junit.jupiter.api.Test
  void alreadyEncodedBodiesPassThroughUntouchedAndWithoutVary() {
    byte[] body = ChatCorpus.body(4096, 9);
    CompressionResult r = DEFAULT.compress(body, "application/json", "gzip, br", "gzip");
    assertThat(r.compressed()).isFalse();
    assertThat(r.body()).isSameAs(body);
    assertThat(r.vary()).isEmpty();
    assertThat(DEFAULT.compress(body, "application/json", "gzip", "identity").compressed())
        .isTrue();
  }

  @org.junit.jupiter.api.Test
  void skippedForSizeOrRefusalStillVaries() {
    byte[] small = ChatCorpus.body(600, 1);
    assertThat(DEFAULT.compress(small, "application/json", "gzip").vary()).isPresent();
    assertThat(DEFAULT.compress(ChatCorpus.body(4096, 1), "application/json", "deflate").vary())
        .isPresent();
  }

  @org.junit.jupiter.api.Test
  void incompressibleBodiesGoOutAsTheyAre() {
    byte[] random = new byte[8192];
    new java.util.Random(5).nextBytes(random);
    CompressionResult r = DEFAULT.compress(random, "text/plain", "gzip");
    assertThat(r.compressed()).isFalse();
    assertThat(r.body()).isSameAs(random);
  }
}
