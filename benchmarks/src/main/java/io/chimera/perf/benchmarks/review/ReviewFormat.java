package io.chimera.perf.benchmarks.review;

import io.chimera.perf.benchmarks.review.WeeklyReview.ItemResult;
import io.chimera.perf.benchmarks.review.WeeklyReview.Report;
import io.chimera.perf.benchmarks.review.WeeklyReview.Result;
import io.chimera.perf.core.Perf008.ReviewSection;
import java.util.List;

/** Renders a weekly review as text, Markdown or JSON. */
final class ReviewFormat {

  private ReviewFormat() {}

  static String text(Report report) {
    StringBuilder out = new StringBuilder("PERF-008 weekly review (").append(report.source());
    out.append(")\n");
    ReviewSection[] sections = ReviewSection.values();
    for (int s = 0; s < sections.length; s++) {
      out.append('\n').append(s + 1).append(". ").append(sections[s].title()).append('\n');
      for (ItemResult item : report.section(sections[s])) {
        out.append(String.format("   %-8s %s%n", item.status(), item.item().text()));
        for (Result r : item.results()) {
          out.append(
              String.format(
                  "            %-8s %-44s %-12s %s%s%n",
                  r.status(),
                  r.check().name(),
                  r.valueText(),
                  r.thresholdText(),
                  r.measurement().subject().isEmpty()
                      ? ""
                      : "  [" + r.measurement().subject() + "]"));
        }
      }
    }
    out.append("\nOverall: ").append(report.worst()).append('\n');
    return out.toString();
  }

  static String markdown(Report report) {
    StringBuilder out = new StringBuilder("# PERF-008 weekly review\n\nSource: ");
    out.append(report.source()).append("\n");
    ReviewSection[] sections = ReviewSection.values();
    for (int s = 0; s < sections.length; s++) {
      out.append("\n## ").append(s + 1).append(". ").append(sections[s].title()).append("\n\n");
      out.append(
          "| Item | Status | Check | Value | Threshold | Subject |\n|---|---|---|---|---|---|\n");
      for (ItemResult item : report.section(sections[s])) {
        for (Result r : item.results()) {
          out.append("| ").append(cell(item.item().text())).append(" | ").append(r.status());
          out.append(" | ")
              .append(cell(r.check().name()))
              .append(" | ")
              .append(cell(r.valueText()));
          out.append(" | ").append(cell(r.thresholdText())).append(" | ");
          out.append(cell(r.measurement().subject())).append(" |\n");
        }
      }
    }
    out.append("\n**Overall: ").append(report.worst()).append("**\n");
    return out.toString();
  }

  static String json(Report report) {
    StringBuilder out = new StringBuilder("{\"source\":").append(str(report.source()));
    out.append(",\"overall\":\"").append(report.worst()).append("\",\"sections\":[");
    ReviewSection[] sections = ReviewSection.values();
    for (int s = 0; s < sections.length; s++) {
      out.append(s == 0 ? "" : ",").append("{\"title\":").append(str(sections[s].title()));
      out.append(",\"items\":[");
      List<ItemResult> items = report.section(sections[s]);
      for (int i = 0; i < items.size(); i++) {
        ItemResult item = items.get(i);
        out.append(i == 0 ? "" : ",").append("{\"item\":").append(str(item.item().text()));
        out.append(",\"status\":\"").append(item.status()).append("\",\"checks\":[");
        for (int c = 0; c < item.results().size(); c++) {
          Result r = item.results().get(c);
          double v = r.measurement().value();
          out.append(c == 0 ? "" : ",").append("{\"name\":").append(str(r.check().name()));
          out.append(",\"value\":").append(Double.isNaN(v) || Double.isInfinite(v) ? "null" : v);
          out.append(",\"threshold\":").append(str(r.thresholdText()));
          out.append(",\"basis\":").append(str(r.check().basis()));
          out.append(",\"subject\":").append(str(r.measurement().subject()));
          out.append(",\"status\":\"").append(r.status()).append("\"}");
        }
        out.append("]}");
      }
      out.append("]}");
    }
    return out.append("]}").toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }

  private static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
