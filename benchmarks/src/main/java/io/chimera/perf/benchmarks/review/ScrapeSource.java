package io.chimera.perf.benchmarks.review;

import io.chimera.perf.benchmarks.review.Scrape.Sample;
import io.chimera.perf.core.Histograms;
import io.chimera.perf.core.MetricNames;
import io.chimera.perf.core.Probe;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * Answers checks from one scrape of a {@code /metrics} endpoint, the way {@code PerformanceReview}
 * answers them from a registry: windowed gauges as they are, timers from their cumulative sums and
 * buckets (so since the process started). Checks that need history (alerts, trends, the past week)
 * have no data here.
 */
final class ScrapeSource implements Source {

  /** Units Micrometer's Prometheus naming may append to a gauge's name. */
  private static final List<String> UNIT_SUFFIXES =
      List.of("", "_ratio", "_bytes", "_seconds", "_requests", "_tasks", "_connections");

  private final Scrape scrape;
  private final String origin;

  ScrapeSource(Scrape scrape, String origin) {
    this.scrape = scrape;
    this.origin = origin;
  }

  @Override
  public String describe() {
    return "scrape of " + origin;
  }

  @Override
  public Measurement measure(Check check) {
    Probe probe = check.probe();
    if (probe == null) {
      return Measurement.NONE;
    }
    String base = probe.meter().replace('.', '_');
    Map<String, Double> groups = new TreeMap<>();
    switch (probe.kind()) {
      case GAUGE, GAUGE_MAX -> {
        BinaryOperator<Double> combine =
            probe.kind() == Probe.Kind.GAUGE_MAX ? Math::max : Double::sum;
        for (String suffix : UNIT_SUFFIXES) {
          List<Sample> found = scrape.find(base + suffix, probe.tags());
          if (!found.isEmpty()) {
            for (Sample s : found) {
              if (!Double.isNaN(s.value())) {
                groups.merge(group(s, probe), s.value(), combine);
              }
            }
            break;
          }
        }
      }
      case TIMER_MEAN -> {
        Map<String, Double> sums = new TreeMap<>();
        Map<String, Double> counts = new TreeMap<>();
        for (Sample s : scrape.find(base + "_seconds_sum", probe.tags())) {
          sums.merge(group(s, probe), s.value(), Double::sum);
        }
        for (Sample s : scrape.find(base + "_seconds_count", probe.tags())) {
          counts.merge(group(s, probe), s.value(), Double::sum);
        }
        counts.forEach((g, c) -> groups.put(g, c > 0 ? sums.getOrDefault(g, 0.0) / c : Double.NaN));
      }
      case TIMER_QUANTILE -> {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Sample s : scrape.find(base + "_seconds_bucket", probe.tags())) {
          String le = s.labels().get("le");
          double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
          buckets.merge(bound, s.value(), Double::sum);
        }
        groups.put("", Histograms.quantile(buckets, probe.quantile()));
      }
      case FAILURE_RATIO -> {
        Map<String, Double> all = new TreeMap<>();
        Map<String, Double> failed = new TreeMap<>();
        for (Sample s : scrape.find(base + "_seconds_count", probe.tags())) {
          String g = group(s, probe);
          all.merge(g, s.value(), Double::sum);
          if (!MetricNames.OUTCOME_SUCCESS.equals(s.labels().get(MetricNames.TAG_OUTCOME))) {
            failed.merge(g, s.value(), Double::sum);
          }
        }
        all.forEach((g, a) -> groups.put(g, a > 0 ? failed.getOrDefault(g, 0.0) / a : Double.NaN));
      }
    }
    return Source.worst(groups, check.direction());
  }

  private static String group(Sample s, Probe probe) {
    if (probe.groupBy().isEmpty()) {
      return "";
    }
    String v = s.labels().get(probe.groupBy());
    return v == null ? "" : probe.groupBy() + "=" + v;
  }
}
