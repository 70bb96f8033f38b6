package dev.layertrace.bench;

import java.util.Locale;

/**
 * What a figure must reach: at most or at least {@code value}, in the figure's own unit, or — with
 * {@code onRatio} — for the ratio ours / baseline (so "at least 20× faster" is a ratio at most 0.05).
 */
public record Target(Bound bound, double value, boolean onRatio) {
  /** Which side of {@code value} passes. */
  public enum Bound {
    AT_MOST("<="),
    AT_LEAST(">=");

    private final String sign;

    Bound(String sign) {
      this.sign = sign;
    }
  }

  public static Target atMost(double value) {
    return new Target(Bound.AT_MOST, value, false);
  }

  public static Target atLeast(double value) {
    return new Target(Bound.AT_LEAST, value, false);
  }

  /** The baseline must be at least {@code times} as large as ours (ours is that many times faster). */
  public static Target timesFaster(double times) {
    return new Target(Bound.AT_MOST, 1 / times, true);
  }

  /** Whether {@code ours} (or {@code ratio}, for a ratio target) passes; null when there is no ratio. */
  public Boolean met(double ours, Double ratio) {
    Double v = onRatio ? ratio : Double.valueOf(ours);
    if (v == null) {
      return null;
    }
    return bound == Bound.AT_MOST ? v <= value : v >= value;
  }

  /** {@code <= 800 ms}, {@code >= 20 traces/s}, {@code >= 20x faster}. */
  public String text(String unit) {
    if (onRatio) {
      return String.format(Locale.ROOT, ">= %sx faster", Figure.number(1 / value));
    }
    return bound.sign + " " + Figure.number(value) + (unit.isEmpty() ? "" : " " + unit);
  }
}
