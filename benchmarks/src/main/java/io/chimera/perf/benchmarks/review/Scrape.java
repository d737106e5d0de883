package io.chimera.perf.benchmarks.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The samples of one Prometheus text-format scrape, with the type of each metric family. */
final class Scrape {

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  final List<Sample> samples = new ArrayList<>();
  final Map<String, String> types = new HashMap<>();

  /** Parses the Prometheus text exposition format (0.0.4); unknown lines are skipped. */
  static Scrape parse(String text) {
    Scrape scrape = new Scrape();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).trim().split(" ");
        if (parts.length == 2) {
          scrape.types.put(parts[0], parts[1].toLowerCase(Locale.ROOT));
        }
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Sample s = sample(line);
        if (s != null) {
          scrape.samples.add(s);
        }
      }
    }
    return scrape;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space;
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    if (brace >= 0 && brace < line.indexOf(' ')) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (i < line.length() && line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
          return null;
        }
        String key = line.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; j < line.length() && line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < line.length()) {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        }
      }
      space = line.indexOf(' ', i);
    } else {
      space = line.indexOf(' ');
      if (space < 0) {
        return null;
      }
      name = line.substring(0, space);
    }
    if (space < 0) {
      return null;
    }
    String[] rest = line.substring(space + 1).trim().split(" ");
    try {
      return new Sample(name, labels, parseValue(rest[0]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  /** Samples whose name is {@code name} and whose labels include {@code match}. */
  List<Sample> find(String name, Map<String, String> match) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet())) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The sample name a Micrometer meter of {@code meter} has in this scrape for the given suffix
   * (for example {@code _seconds_count}), trying the bare name and any unit Micrometer may have
   * appended; null when absent.
   */
  String resolve(String meter, String suffix) {
    String base = meter.replace('.', '_');
    for (Sample s : samples) {
      String n = s.name();
      if (n.startsWith(base) && n.endsWith(suffix)) {
        String middle = n.substring(base.length(), n.length() - suffix.length());
        if (middle.isEmpty() || (middle.startsWith("_") && middle.indexOf('_', 1) < 0)) {
          return n;
        }
      }
    }
    return null;
  }
}
