package io.chimera.perf.benchmarks;

import io.chimera.perf.breaker.ProviderBreakers;
import io.chimera.perf.compression.ResponseCompressor;
import io.chimera.perf.core.MetricsServer;
import io.chimera.perf.core.Perf008.Api;
import io.chimera.perf.core.PerformanceReview;
import io.chimera.perf.core.SlaTracker;
import io.chimera.perf.testing.ChatCorpus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The embedded-defaults demo: starts a {@link MetricsServer} on loopback, drives the library's
 * meters with simulated traffic, scrapes itself once to prove the endpoint, and prints the PERF-008
 * review table and the scrape URL.
 */
final class Demo {

  private Demo() {}

  static int run(String[] args) throws Exception {
    int port = 0;
    double seconds = 3;
    boolean serve = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
        case "--serve" -> serve = true;
        default -> throw new IllegalArgumentException("unknown demo option: " + args[i]);
      }
    }
    PrintStream out = System.out;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MetricsServer server = MetricsServer.builder(registry).port(port).start();
        ProviderBreakers breakers =
            ProviderBreakers.builder("providers").meterRegistry(registry).build();
        ResponseCompressor compressor =
            ResponseCompressor.builder().meterRegistry(registry).build()) {
      SlaTracker sla = SlaTracker.create(registry);
      out.println("chimera-bench demo: scrape " + server.metricsUri());
      drive(sla, breakers, compressor, Duration.ofMillis((long) (seconds * 1000)));

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.metricsUri()).build(),
                  HttpResponse.BodyHandlers.ofString());
      long series = scrape.body().lines().filter(l -> l.startsWith("chimera_")).count();
      out.printf(
          "GET %s -> %d, %d chimera_ samples%n", server.metricsUri(), scrape.statusCode(), series);
      out.println();
      out.println(PerformanceReview.review(registry).toText());
      if (serve) {
        out.println("serving " + server.metricsUri() + " until interrupted (Ctrl-C)");
        Thread.currentThread().join();
      }
    }
    return 0;
  }

  /**
   * Simulated traffic: API calls with latencies around the PERF-008 SLA thresholds, provider calls
   * through the breakers (one provider failing now and then), and compressed JSON responses.
   */
  private static void drive(
      SlaTracker sla, ProviderBreakers breakers, ResponseCompressor compressor, Duration duration)
      throws InterruptedException {
    SplittableRandom random = new SplittableRandom(8);
    long end = System.nanoTime() + duration.toNanos();
    long seed = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 20; i++) {
        boolean fails = random.nextInt(100) < 3;
        breakers.call("openai", () -> "ok");
        try {
          breakers.call(
              "anthropic",
              () -> {
                if (fails) {
                  throw new IllegalStateException("simulated provider error");
                }
                return "ok";
              });
        } catch (RuntimeException e) {
          // counted by the breaker's meters; a demo caller would fail over
        }
        compressor.compress(
            ChatCorpus.body(random.nextInt(1024, 32 * 1024), seed++),
            "application/json",
            "br, gzip");
        sla.record(Api.HEALTH, millis(random, 5, 60), true);
        sla.record(Api.PROVIDERS, millis(random, 20, 150), true);
        sla.record(Api.TRANSFORM, millis(random, 200, 1400), random.nextInt(100) != 0);
        sla.record(Api.GENERATE, millis(random, 1500, 8000), random.nextInt(200) != 0);
      }
      Thread.sleep(50);
    }
  }

  private static Duration millis(SplittableRandom random, int low, int high) {
    return Duration.ofMillis(random.nextInt(low, high));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
