package io.chimera.perf.compression;

/**
 * Accept-Encoding negotiation per RFC 9110 section 12.5.3, without allocating.
 *
 * <p>Rules: a coding's weight is its own {@code q}, else the weight of {@code *}, else 0 (not
 * acceptable). Among acceptable codings the highest weight wins; ties go to the server's preference
 * order. Identity is acceptable unless {@code identity;q=0}, or {@code *;q=0} without an {@code
 * identity} entry; when identity is listed with a weight above the best coding's, identity wins. An
 * absent header means identity (many old clients send none and cannot decode), an empty one means
 * identity (RFC 9110: no coding wanted), a malformed one means identity, never an exception. {@code
 * x-gzip} counts as gzip; codings we do not produce are ignored.
 */
final class AcceptEncoding {

  /** Flag bit in a result: the client refuses identity. */
  static final int IDENTITY_REFUSED = 0x10;

  private static final int NOT_LISTED = -1;
  private static final int MALFORMED = -2;
  private static final int IDENTITY = ContentCoding.IDENTITY.id;

  private AcceptEncoding() {}

  /**
   * Picks a coding.
   *
   * @param header the Accept-Encoding value, or null when absent
   * @param preference server preference order, compressing codings only
   * @param usable which codings may be chosen, indexed by ordinal
   * @return the chosen coding's ordinal, with {@link #IDENTITY_REFUSED} or'ed in when identity was
   *     refused (and then, if the ordinal is identity, nothing acceptable was available)
   */
  static int negotiate(String header, ContentCoding[] preference, boolean[] usable) {
    if (header == null) {
      return IDENTITY;
    }
    int qGzip = NOT_LISTED;
    int qBr = NOT_LISTED;
    int qZstd = NOT_LISTED;
    int qIdentity = NOT_LISTED;
    int qStar = NOT_LISTED;
    int n = header.length();
    int i = 0;
    while (i < n) {
      i = skipWhitespace(header, i);
      if (i >= n) {
        break;
      }
      if (header.charAt(i) == ',') {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isTokenChar(header.charAt(i))) {
        i++;
      }
      int end = i;
      if (end == start) {
        return IDENTITY;
      }
      int q = 1000;
      i = skipWhitespace(header, i);
      if (i < n && header.charAt(i) == ';') {
        q = parseWeight(header, i + 1);
        if (q == MALFORMED) {
          return IDENTITY;
        }
        i = weightEnd(header, i + 1);
        i = skipWhitespace(header, i);
      }
      if (i < n && header.charAt(i) != ',') {
        return IDENTITY;
      }
      int len = end - start;
      if (is(header, start, len, "gzip") || is(header, start, len, "x-gzip")) {
        qGzip = Math.max(qGzip, q);
      } else if (is(header, start, len, "br")) {
        qBr = Math.max(qBr, q);
      } else if (is(header, start, len, "zstd")) {
        qZstd = Math.max(qZstd, q);
      } else if (is(header, start, len, "identity")) {
        qIdentity = Math.max(qIdentity, q);
      } else if (len == 1 && header.charAt(start) == '*') {
        qStar = Math.max(qStar, q);
      }
    }
    boolean identityRefused = qIdentity == 0 || (qIdentity == NOT_LISTED && qStar == 0);
    int flag = identityRefused ? IDENTITY_REFUSED : 0;
    int best = -1;
    int bestQ = 0;
    for (ContentCoding c : preference) {
      if (!usable[c.id]) {
        continue;
      }
      int q =
          switch (c) {
            case GZIP -> qGzip;
            case BROTLI -> qBr;
            case ZSTD -> qZstd;
            case IDENTITY -> 0;
          };
      if (q == NOT_LISTED) {
        q = qStar == NOT_LISTED ? 0 : qStar;
      }
      if (q > bestQ) {
        bestQ = q;
        best = c.id;
      }
    }
    if (best < 0 || qIdentity > bestQ) {
      return IDENTITY | flag;
    }
    return best | flag;
  }

  /** Parses {@code OWS "q=" qvalue} after a ';' in thousandths, or MALFORMED. */
  private static int parseWeight(String s, int from) {
    int i = skipWhitespace(s, from);
    int n = s.length();
    if (i + 2 >= n || (s.charAt(i) != 'q' && s.charAt(i) != 'Q') || s.charAt(i + 1) != '=') {
      return MALFORMED;
    }
    i += 2;
    char lead = s.charAt(i);
    if (lead != '0' && lead != '1') {
      return MALFORMED;
    }
    int value = lead == '1' ? 1000 : 0;
    i++;
    if (i < n && s.charAt(i) == '.') {
      i++;
      int scale = 100;
      int digits = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (++digits > 3) {
          return MALFORMED;
        }
        value += (s.charAt(i) - '0') * scale;
        scale /= 10;
        i++;
      }
    }
    if (value > 1000) {
      return MALFORMED;
    }
    i = skipWhitespace(s, i);
    if (i < n && s.charAt(i) != ',') {
      return MALFORMED;
    }
    return value;
  }

  /** Index just past a weight that {@link #parseWeight} accepted. */
  private static int weightEnd(String s, int from) {
    int i = from;
    int n = s.length();
    while (i < n && s.charAt(i) != ',') {
      i++;
    }
    return i;
  }

  private static int skipWhitespace(String s, int i) {
    int n = s.length();
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean is(String s, int start, int len, String token) {
    return len == token.length() && s.regionMatches(true, start, token, 0, len);
  }

  /** RFC 9110 tchar. */
  private static boolean isTokenChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
