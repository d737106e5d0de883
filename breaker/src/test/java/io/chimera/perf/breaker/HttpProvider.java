package io.chimera.perf.breaker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP provider on loopback (JDK {@link HttpServer}) that can be switched to answer 200,
 * answer 503, hang until released, or answer slowly; and the {@link HttpClient} call against it.
 */
final class HttpProvider implements AutoCloseable {

  enum Mode {
    OK,
    UNAVAILABLE,
    HANG,
    SLOW
  }

  /** A non-2xx answer. */
  static final class HttpStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HttpStatusException(int status) {
      super("HTTP " + status);
    }
  }

  private final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
  private final AtomicInteger requests = new AtomicInteger();
  private volatile CountDownLatch hang = new CountDownLatch(1);
  private volatile long slowMillis = 150;
  private final HttpClient client;
  private final URI uri;

  HttpProvider(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
    this.uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    this.client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(executor).build();
  }

  void mode(Mode m) {
    if (m == Mode.HANG) {
      hang = new CountDownLatch(1);
    } else {
      hang.countDown();
    }
    mode.set(m);
  }

  void slowMillis(long millis) {
    this.slowMillis = millis;
  }

  int requests() {
    return requests.get();
  }

  /** GETs the provider; returns the body or throws on a non-200 answer or I/O failure. */
  String get() {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new HttpStatusException(response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      Mode m = mode.get();
      try {
        if (m == Mode.HANG) {
          hang.await(30, TimeUnit.SECONDS);
        } else if (m == Mode.SLOW) {
          Thread.sleep(slowMillis); // the provider being slow is the thing under test
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      int status = m == Mode.UNAVAILABLE ? 503 : 200;
      byte[] body = (name + ":" + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    hang.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
