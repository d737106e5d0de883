package io.chimera.perf.core;

import io.chimera.perf.core.Perf008.Unit;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The few Prometheus template functions the generated alert annotations use, reproduced so that
 * promtool tests can state the exact text an alert will carry: {@code humanizePercentage}, {@code
 * humanizeDuration} and {@code printf "%.Nf"}.
 */
final class GoFormat {

  private GoFormat() {}

  static String render(Unit unit, double value) {
    return switch (unit) {
      case RATIO -> humanizePercentage(value);
      case SECONDS -> humanizeDuration(value);
      case PER_SECOND -> String.format(Locale.ROOT, "%.2f", value) + "/sec";
      case COUNT -> String.format(Locale.ROOT, "%.0f", value);
    };
  }

  /** Prometheus {@code humanizePercentage}: {@code %.4g%%} of v*100. */
  static String humanizePercentage(double v) {
    return g4(v * 100) + "%";
  }

  /** Prometheus {@code humanizeDuration}, for the values an alert can take (no days). */
  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return g4(v);
    }
    if (v == 0) {
      return "0s";
    }
    if (Math.abs(v) >= 1) {
      String sign = v < 0 ? "-" : "";
      long whole = (long) Math.abs(v);
      long seconds = whole % 60;
      long minutes = (whole / 60) % 60;
      long hours = (whole / 3600) % 24;
      long days = whole / 86400;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + g4(Math.abs(v)) + "s";
    }
    String prefix = "";
    for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return g4(v) + prefix + "s";
  }

  /**
   * Go's {@code %.4g}: 4 significant digits, trailing zeros dropped, exponent outside 1e-4..1e4.
   */
  static String g4(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 4) {
      BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
      String e = String.format(Locale.ROOT, "%02d", Math.abs(exponent));
      return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    return d.toPlainString();
  }
}
