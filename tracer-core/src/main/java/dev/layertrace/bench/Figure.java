package dev.layertrace.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * One measured figure of the suite beside its baseline, measured in the same run.
 *
 * @param section the benchmark it belongs to ({@code render}, {@code scale}, …)
 * @param name what was measured, with how many runs
 * @param ours our figure, in {@code unit}
 * @param baseline the baseline's figure in the same unit, or null when the figure has none
 * @param unit {@code ms}, {@code traces/s}, {@code MiB}, {@code %}, … ({@code ""} for a count)
 * @param target what the issue asks for, or null
 * @param baselineName what the baseline is, for the notes under the table (may be null)
 */
public record Figure(String section, String name, double ours, Double baseline, String unit, Target target,
    String baselineName) {
  public Figure {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
  }

  /** A figure without a baseline. */
  public static Figure of(String section, String name, double ours, String unit, Target target) {
    return new Figure(section, name, ours, null, unit, target, null);
  }

  /** ours / baseline, or null without a (non-zero) baseline. */
  public Double ratio() {
    return baseline == null || baseline == 0 ? null : ours / baseline;
  }

  /** Whether the target is met; null without a target (or a ratio target without a baseline). */
  public Boolean met() {
    return target == null ? null : target.met(ours, ratio());
  }

  /** {@code ours} with its unit, e.g. {@code 812 ms}, {@code 1.23 s}, {@code 41.2 traces/s}. */
  public String oursText() {
    return valueText(ours);
  }

  /** The baseline with its unit, or empty. */
  public String baselineText() {
    return baseline == null ? "" : valueText(baseline);
  }

  /** {@code 0.77x}, or empty. */
  public String ratioText() {
    Double r = ratio();
    return r == null ? "" : String.format(Locale.ROOT, r < 0.1 ? "%.3fx" : "%.2fx", r);
  }

  /** The target, or empty. */
  public String targetText() {
    return target == null ? "" : target.text(unit);
  }

  /** {@code yes}, {@code NO} or empty. */
  public String metText() {
    Boolean m = met();
    return m == null ? "" : m ? "yes" : "NO";
  }

  private String valueText(double v) {
    if (unit.equals("ms") && Math.abs(v) >= 10_000) {
      return String.format(Locale.ROOT, "%.1f s", v / 1000);
    }
    return unit.isEmpty() ? number(v) : number(v) + " " + unit;
  }

  /** Three significant figures at most, no trailing zeros, no exponent. */
  static String number(double v) {
    double a = Math.abs(v);
    String s;
    if (a >= 100 || v == Math.rint(v) && a < 1e15) {
      s = String.format(Locale.ROOT, "%.0f", v);
    } else if (a >= 10) {
      s = String.format(Locale.ROOT, "%.1f", v);
    } else if (a >= 1) {
      s = String.format(Locale.ROOT, "%.2f", v);
    } else {
      s = String.format(Locale.ROOT, "%.3f", v);
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
