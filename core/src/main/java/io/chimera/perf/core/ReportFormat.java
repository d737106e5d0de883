package io.chimera.perf.core;

import io.chimera.perf.core.PerformanceReview.Report;
import io.chimera.perf.core.PerformanceReview.Row;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link Report} as text, Markdown and JSON. */
final class ReportFormat {

  private static final String[] HEADER = {
    "Category", "Metric", "Value", "Target", "Alert", "Status", "Subject"
  };

  private ReportFormat() {}

  private static List<String[]> cells(Report report) {
    List<String[]> cells = new ArrayList<>();
    for (Row row : report.rows()) {
      cells.add(
          new String[] {
            row.metric().category().title(),
            row.metric().metric(),
            row.valueText(),
            row.metric().targetText(),
            row.metric().alertText(),
            row.status().name(),
            row.subject()
          });
    }
    return cells;
  }

  static String text(Report report) {
    List<String[]> cells = cells(report);
    int[] width = new int[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      width[i] = HEADER[i].length();
      for (String[] c : cells) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, HEADER, width);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    out.append(rule).append('\n');
    for (String[] c : cells) {
      line(out, c, width);
    }
    out.append("Overall: ").append(report.worst()).append('\n');
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        l.append("  ");
      }
      l.append(cells[i]).append(" ".repeat(width[i] - cells[i].length()));
    }
    out.append(l.toString().stripTrailing()).append('\n');
  }

  static String markdown(Report report) {
    StringBuilder out = new StringBuilder("| ").append(String.join(" | ", HEADER)).append(" |\n|");
    for (int i = 0; i < HEADER.length; i++) {
      out.append("---|");
    }
    out.append('\n');
    for (String[] c : cells(report)) {
      out.append("| ");
      for (int i = 0; i < c.length; i++) {
        out.append(i == 0 ? "" : " | ").append(c[i].replace("|", "\\|"));
      }
      out.append(" |\n");
    }
    return out.toString();
  }

  static String json(Report report) {
    StringBuilder out = new StringBuilder("{\"worst\":\"").append(report.worst()).append("\",");
    out.append("\"rows\":[");
    boolean first = true;
    for (Row row : report.rows()) {
      out.append(first ? "" : ",").append('{');
      first = false;
      out.append("\"id\":\"").append(row.metric().name()).append("\",");
      Json.string(out.append("\"category\":"), row.metric().category().title()).append(',');
      Json.string(out.append("\"metric\":"), row.metric().metric()).append(',');
      Json.number(out.append("\"value\":"), row.value()).append(',');
      Json.number(out.append("\"target\":"), row.metric().target()).append(',');
      Json.number(out.append("\"alert\":"), row.metric().alert()).append(',');
      out.append("\"unit\":\"").append(row.metric().unit()).append("\",");
      out.append("\"direction\":\"").append(row.metric().direction()).append("\",");
      out.append("\"status\":\"").append(row.status()).append("\",");
      Json.string(out.append("\"subject\":"), row.subject());
      out.append('}');
    }
    return out.append("]}").toString();
  }
}
