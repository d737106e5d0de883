package io.chimera.perf.compression;

import java.util.List;
import java.util.Locale;

/**
 * A media-type allow-list matched without allocating. Patterns: {@code type/subtype} (exact),
 * {@code type/*} (any subtype) and {@code *}{@code /*+suffix} (any structured-syntax suffix, such
 * as {@code +json}). Parameters after ';' in the checked value are ignored; case never matters.
 *
 * <p>Server-sent events ({@value #EVENT_STREAM}) match only an explicit {@value #EVENT_STREAM}
 * pattern, never {@code text/*}: an event stream lives for minutes and must reach the client event
 * by event, so it is not compressed unless asked for (and then each flush sync-flushes the coder).
 */
final class ContentTypes {

  /** JSON, text, JavaScript, XML and SVG. */
  static final List<String> DEFAULTS =
      List.of(
          "text/*",
          "application/json",
          "application/x-ndjson",
          "application/javascript",
          "application/ecmascript",
          "application/xml",
          "image/svg+xml",
          "*/*+json",
          "*/*+xml");

  /** The server-sent events media type, left out of wildcard matches. */
  static final String EVENT_STREAM = "text/event-stream";

  private final String[] patterns;

  ContentTypes(List<String> patterns) {
    this.patterns = new String[patterns.size()];
    for (int i = 0; i < patterns.size(); i++) {
      this.patterns[i] = validate(patterns.get(i));
    }
  }

  static String validate(String pattern) {
    String p = pattern.trim().toLowerCase(Locale.ROOT);
    int slash = p.indexOf('/');
    boolean ok =
        slash > 0
            && slash < p.length() - 1
            && p.indexOf('/', slash + 1) < 0
            && p.indexOf(';') < 0
            && (!p.startsWith("*") || (p.startsWith("*/*+") && p.length() > 4));
    if (!ok) {
      throw new IllegalArgumentException(
          "content type pattern '"
              + pattern
              + "' must be type/subtype, type/* or */*+suffix (for example application/json)");
    }
    return p;
  }

  boolean matches(String contentType) {
    if (contentType == null) {
      return false;
    }
    int start = 0;
    int end = contentType.indexOf(';');
    if (end < 0) {
      end = contentType.length();
    }
    while (start < end && contentType.charAt(start) == ' ') {
      start++;
    }
    while (end > start && contentType.charAt(end - 1) == ' ') {
      end--;
    }
    int slash = contentType.indexOf('/', start);
    if (slash < 0 || slash >= end) {
      return false;
    }
    for (String p : patterns) {
      if (p.startsWith("*/*+")) {
        int suffix = p.length() - 3;
        if (end - slash - 1 > suffix
            && contentType.regionMatches(true, end - suffix, p, 3, suffix)) {
          return true;
        }
      } else if (p.endsWith("/*")) {
        if (slash - start == p.length() - 2
            && !(end - start == EVENT_STREAM.length()
                && contentType.regionMatches(true, start, EVENT_STREAM, 0, end - start))
            && contentType.regionMatches(true, start, p, 0, p.length() - 1)) {
          return true;
        }
      } else if (end - start == p.length()
          && contentType.regionMatches(true, start, p, 0, end - start)) {
        return true;
      }
    }
    return false;
  }
}
