package io.chimera.perf.benchmarks;

import io.chimera.perf.core.MetricsServer;
import io.chimera.perf.core.PerformanceReview;
import io.chimera.perf.testing.RedisServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ThreadLocalRandom;

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
    // The embedded default: a real redis-server for the cache's L2 (CHIMERA_REDIS_URL if set).
    try (RedisServer redis = RedisServer.launch();
        Workload workload = new Workload(registry, redis.uri());
        MetricsServer server =
            MetricsServer.builder(registry)
                .port(port)
                .healthCheck("cache:prompts", workload::cacheHealth)
                .start()) {
      out.println(
          "chimera-bench demo: Redis at " + redis.uri() + ", scrape " + server.metricsUri());
      long end = System.nanoTime() + (long) (seconds * 1e9);
      do {
        workload.round();
        if (ThreadLocalRandom.current().nextInt(10) == 0) {
          workload.optimize();
        }
        Thread.sleep(20);
      } while (System.nanoTime() < end);
      workload.optimize();

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
        while (true) {
          workload.round();
          Thread.sleep(50);
        }
      }
    }
    return 0;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
