package io.chimera.perf.benchmarks.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Answers checks by running each one's PromQL on a Prometheus server's HTTP API. */
final class PrometheusSource implements Source {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient client;

  PrometheusSource(URI base) {
    this.base = base;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String describe() {
    return "Prometheus at " + base;
  }

  @Override
  public Measurement measure(Check check) throws IOException, InterruptedException {
    JsonNode result = query(check.promQl());
    Map<String, Double> groups = new TreeMap<>();
    for (JsonNode element : result) {
      StringBuilder subject = new StringBuilder();
      for (Map.Entry<String, JsonNode> label : element.path("metric").properties()) {
        if (!label.getKey().equals("__name__")) {
          subject.append(subject.length() == 0 ? "" : ",");
          subject.append(label.getKey()).append('=').append(label.getValue().asText());
        }
      }
      groups.put(subject.toString(), parse(element.path("value").path(1).asText()));
    }
    return Source.worst(groups, check.direction());
  }

  /** Runs an instant query and returns {@code data.result} (a vector, possibly empty). */
  JsonNode query(String promQl) throws IOException, InterruptedException {
    // keep any path prefix (a Prometheus behind --web.route-prefix or a proxy path)
    String root = base.toString().replaceAll("/+$", "");
    URI uri =
        URI.create(
            root + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IOException(
          "Prometheus at "
              + base
              + " refused query "
              + promQl
              + ": "
              + body.path("error").asText("HTTP " + response.statusCode()));
    }
    return body.path("data").path("result");
  }

  private static double parse(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN", "" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
