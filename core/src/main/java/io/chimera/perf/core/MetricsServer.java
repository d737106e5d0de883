package io.chimera.perf.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics} (Prometheus text, or OpenMetrics when the scraper's {@code Accept} asks
 * for it; gzip when {@code Accept-Encoding} allows) from a {@link PrometheusMeterRegistry}, and
 * {@code /health} as JSON built from named health checks. Binds 127.0.0.1 unless told otherwise.
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.builder(registry)
 *         .port(9464)
 *         .healthCheck("cache:prompts", cache::health)
 *         .start()) {
 *   System.out.println("scrape " + server.metricsUri());
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private static final AtomicInteger SERVERS = new AtomicInteger();

  /** Content type of the Prometheus text exposition format 0.0.4. */
  public static final String PROMETHEUS_TEXT_CONTENT_TYPE =
      "text/plain; version=0.0.4; charset=utf-8";

  /** Content type of the OpenMetrics text format 1.0.0. */
  public static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Map<String, Supplier<Health>> checks;
  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(Builder b) throws IOException {
    this.registry = b.registry;
    this.checks = Map.copyOf(b.checks);
    int id = SERVERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            b.threads,
            r -> {
              Thread t = new Thread(r, "chimera-metrics-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server = HttpServer.create(new InetSocketAddress(b.address, b.port), 64);
    server.createContext("/metrics", this::metrics);
    server.createContext("/health", this::health);
    server.setExecutor(executor);
    server.start();
    log.info("serving /metrics and /health on {}", baseUri());
  }

  /**
   * Starts building a server for {@code registry}.
   *
   * @param registry the registry to scrape
   * @return a builder
   */
  public static Builder builder(PrometheusMeterRegistry registry) {
    return new Builder(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Returns the port the server listens on (the chosen one when built with port 0).
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Returns {@code http://host:port}.
   *
   * @return the base URI
   */
  public URI baseUri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort());
  }

  /**
   * Returns the scrape URI.
   *
   * @return {@code http://host:port/metrics}
   */
  public URI metricsUri() {
    return baseUri().resolve("/metrics");
  }

  /**
   * Returns the overall health: the worst of all checks, {@link Health#UP} with none. A check that
   * throws counts as {@link Health#DOWN}.
   *
   * @return the health
   */
  public Health health() {
    Health worst = Health.UP;
    for (Supplier<Health> check : checks.values()) {
      worst = worst.worst(evaluate(check));
    }
    return worst;
  }

  /** Stops accepting connections, ends exchanges in flight and stops the server threads. */
  @Override
  public void close() {
    server.stop(0); // JDK 17 waits the whole delay even when idle
    executor.shutdownNow();
  }

  private void metrics(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!isGetOrHead(exchange)) {
        return;
      }
      String accept = header(exchange, "Accept");
      String contentType =
          accept.contains("application/openmetrics-text")
              ? OPENMETRICS_CONTENT_TYPE
              : PROMETHEUS_TEXT_CONTENT_TYPE;
      ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
      boolean gzip = acceptsGzip(header(exchange, "Accept-Encoding"));
      if (gzip) {
        try (GZIPOutputStream out = new GZIPOutputStream(body)) {
          registry.scrape(out, contentType);
        }
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      } else {
        registry.scrape(body, contentType);
      }
      exchange.getResponseHeaders().set("Vary", "Accept, Accept-Encoding");
      send(exchange, 200, contentType, body.toByteArray());
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!isGetOrHead(exchange)) {
        return;
      }
      Map<String, Health> results = new LinkedHashMap<>();
      Health overall = Health.UP;
      for (Map.Entry<String, Supplier<Health>> e : new java.util.TreeMap<>(checks).entrySet()) {
        Health h = evaluate(e.getValue());
        results.put(e.getKey(), h);
        overall = overall.worst(h);
      }
      StringBuilder json = new StringBuilder("{\"status\":\"").append(overall).append("\"");
      json.append(",\"checks\":{");
      boolean first = true;
      for (Map.Entry<String, Health> e : results.entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        Json.string(json, e.getKey()).append(":{\"status\":\"").append(e.getValue()).append("\"}");
      }
      json.append("}}");
      int status = overall == Health.DOWN ? 503 : 200;
      send(exchange, status, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Health evaluate(Supplier<Health> check) {
    try {
      Health h = check.get();
      return h == null ? Health.DOWN : h;
    } catch (RuntimeException e) {
      log.warn("health check failed", e);
      return Health.DOWN;
    }
  }

  private static boolean isGetOrHead(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    exchange.sendResponseHeaders(405, -1);
    return false;
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String header(HttpExchange exchange, String name) {
    String v = exchange.getRequestHeaders().getFirst(name);
    return v == null ? "" : v.toLowerCase(Locale.ROOT);
  }

  /** True when gzip (or *) is listed with a non-zero q-value. */
  static boolean acceptsGzip(String acceptEncoding) {
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.trim().split(";");
      String coding = fields[0].trim();
      if (!coding.equals("gzip") && !coding.equals("*")) {
        continue;
      }
      double q = 1;
      for (int i = 1; i < fields.length; i++) {
        String p = fields[i].trim();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q > 0) {
        return true;
      }
    }
    return false;
  }

  /** Builds and starts a {@link MetricsServer}. */
  public static final class Builder {
    private final PrometheusMeterRegistry registry;
    private final Map<String, Supplier<Health>> checks = new LinkedHashMap<>();
    private InetAddress address;
    private int port = 0;
    private int threads = 2;

    private Builder(PrometheusMeterRegistry registry) {
      this.registry = registry;
      try {
        this.address = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      } catch (UnknownHostException e) {
        throw new AssertionError("a 4-byte address is always valid", e);
      }
    }

    /**
     * Sets the address to bind; 127.0.0.1 by default. Binding a public address exposes metrics.
     *
     * @param address the address
     * @return this builder
     */
    public Builder bindAddress(InetAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the port; 0 (the default) picks any free port.
     *
     * @param port 0..65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how many threads serve requests; 2 by default.
     *
     * @param threads 1..64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be in 1..64, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Adds a named health check to {@code /health}. A check that throws or returns null reports
     * {@link Health#DOWN}.
     *
     * @param name a unique name, for example {@code cache:prompts}
     * @param check the check
     * @return this builder
     * @throws IllegalArgumentException if the name is already used
     */
    public Builder healthCheck(String name, Supplier<Health> check) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
      if (checks.putIfAbsent(name, check) != null) {
        throw new IllegalArgumentException("health check '" + name + "' is already registered");
      }
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @return the running server
     * @throws IOException if the address cannot be bound (for example the port is taken)
     */
    public MetricsServer start() throws IOException {
      return new MetricsServer(this);
    }
  }
}
