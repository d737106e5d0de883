package io.chimera.perf.compression;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.testing.ChatCorpus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK HttpServer filter against a real server and the JDK HTTP client. */
class HttpFilterIT {

  static final byte[] BIG = ChatCorpus.body(20000, 1);
  static final byte[] SMALL = ChatCorpus.body(600, 2);

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ResponseCompressor compressor =
      ResponseCompressor.builder().meterRegistry(registry).build();
  final Decompressor decompressor = Decompressor.builder().build();
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server
        .createContext("/big", ex -> send(ex, "application/json", BIG, BIG.length, true))
        .getFilters()
        .add(compressor.httpFilter());
    server
        .createContext("/chunked", ex -> send(ex, "application/json", BIG, 0, true))
        .getFilters()
        .add(compressor.httpFilter());
    server
        .createContext("/small", ex -> send(ex, "application/json", SMALL, SMALL.length, true))
        .getFilters()
        .add(compressor.httpFilter());
    server
        .createContext("/png", ex -> send(ex, "image/png", BIG, BIG.length, true))
        .getFilters()
        .add(compressor.httpFilter());
    server
        .createContext("/chunked-png", ex -> send(ex, "image/png", BIG, 0, true))
        .getFilters()
        .add(compressor.httpFilter());
    server
        .createContext("/unclosed", ex -> send(ex, "text/plain", BIG, 0, false))
        .getFilters()
        .add(compressor.httpFilter());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    compressor.close();
  }

  static void send(HttpExchange ex, String type, byte[] body, long length, boolean closeBody)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, length);
    OutputStream out = ex.getResponseBody();
    out.write(body);
    if (closeBody) {
      out.close();
    }
    ex.close();
  }

  HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void negotiatedCodingIsSentWithContentEncodingAndVary() throws Exception {
    for (String[] c : new String[][] {{"br", "br"}, {"gzip, zstd", "zstd"}, {"gzip", "gzip"}}) {
      for (String path : new String[] {"/big", "/chunked"}) {
        HttpResponse<byte[]> r = get(path, c[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).as(path).contains(c[1]);
        assertThat(r.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(r.body().length).isLessThan(BIG.length / 2);
        assertThat(decompressor.decompress(r.body(), c[1])).isEqualTo(BIG);
      }
    }
    assertThat(
            registry
                .get(MetricNames.COMPRESSION_BYTES_IN)
                .tag(MetricNames.TAG_ALGORITHM, "br")
                .functionCounter()
                .count())
        .isEqualTo(2.0 * BIG.length);
  }

  @Test
  void smallBodiesAndNoAcceptEncodingGoOutAsTheyAre() throws Exception {
    HttpResponse<byte[]> small = get("/small", "br, gzip");
    assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(small.headers().firstValue("Content-Length")).contains("" + SMALL.length);
    assertThat(small.headers().allValues("Vary")).contains("Accept-Encoding");
    assertThat(small.body()).isEqualTo(SMALL);
    HttpResponse<byte[]> none = get("/big", null);
    assertThat(none.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(none.body()).isEqualTo(BIG);
  }

  @Test
  void contentTypesOutsideTheAllowListAreNotTouchedAndDoNotVary() throws Exception {
    HttpResponse<byte[]> png = get("/png", "br, gzip");
    assertThat(png.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(png.headers().allValues("Vary")).isEmpty();
    assertThat(png.body()).isEqualTo(BIG);
  }

  @Test
  void aHandlerThatOnlyClosesTheExchangeStillGetsAFinishedStream() throws Exception {
    HttpResponse<byte[]> r = get("/unclosed", "gzip");
    assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
    assertThat(decompressor.decompress(r.body(), ContentCoding.GZIP)).isEqualTo(BIG);
  }

  @Test
  void aSkippedChunkedResponseIsCountedWithoutAMadeUpSize() throws Exception {
    HttpResponse<byte[]> png = get("/chunked-png", "gzip");
    assertThat(png.body()).isEqualTo(BIG);
    assertThat(
            registry
                .get(MetricNames.COMPRESSION_SKIPPED)
                .tag(MetricNames.TAG_REASON, "content_type")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MetricNames.COMPRESSION_RESPONSE_SIZE)
                .tag(MetricNames.TAG_ALGORITHM, "identity")
                .summary()
                .count())
        .as("length unknown: not recorded as 0")
        .isZero();
  }
}
