package io.chimera.perf.benchmarks.review;

import io.chimera.perf.core.Perf008.Status;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code chimera-bench review (--metrics URL | --prometheus URL) [--format text|markdown|json]}:
 * the PERF-008 weekly checklist against a live {@code /metrics} endpoint or a Prometheus server.
 * Exit code 1 when any item is in ALERT, 0 otherwise, 2 on bad usage or an unreachable source.
 */
public final class ReviewCommand {

  private ReviewCommand() {}

  /**
   * Runs the review.
   *
   * @param args the options after {@code review}
   * @param out where the report goes
   * @return the exit code
   * @throws InterruptedException if interrupted while fetching
   */
  public static int run(String[] args, PrintStream out) throws InterruptedException {
    String metrics = null;
    String prometheus = null;
    String format = "text";
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--metrics" -> metrics = value;
        case "--prometheus" -> prometheus = value;
        case "--format" -> format = value;
        default -> {
          System.err.println("review: unknown option " + args[i]);
          return 2;
        }
      }
    }
    if ((metrics == null) == (prometheus == null) || format == null) {
      System.err.println(
          "usage: chimera-bench review (--metrics URL | --prometheus URL) [--format text|markdown|json]");
      return 2;
    }
    try {
      Source source;
      if (metrics != null) {
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(metrics))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          System.err.println("review: " + metrics + " answered HTTP " + r.statusCode());
          return 2;
        }
        source = new ScrapeSource(Scrape.parse(r.body()), metrics);
      } else {
        source = new PrometheusSource(URI.create(prometheus));
      }
      WeeklyReview.Report report = WeeklyReview.run(source);
      switch (format) {
        case "markdown" -> out.print(ReviewFormat.markdown(report));
        case "json" -> out.println(ReviewFormat.json(report));
        case "text" -> out.print(ReviewFormat.text(report));
        default -> {
          System.err.println("review: unknown format " + format + " (text, markdown, json)");
          return 2;
        }
      }
      return report.worst() == Status.ALERT ? 1 : 0;
    } catch (java.io.IOException | IllegalArgumentException e) {
      System.err.println(
          "review: cannot read " + (metrics != null ? metrics : prometheus) + ": " + e);
      return 2;
    }
  }
}
