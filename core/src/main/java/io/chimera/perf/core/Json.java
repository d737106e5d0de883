package io.chimera.perf.core;

/** Minimal JSON writing for the few documents core renders; no dependency needed. */
final class Json {

  private Json() {}

  /** Appends {@code s} as a JSON string literal. */
  static StringBuilder string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** Appends a number, or null for NaN and infinities (JSON has no such numbers). */
  static StringBuilder number(StringBuilder out, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return out.append("null");
    }
    return out.append(v);
  }
}
