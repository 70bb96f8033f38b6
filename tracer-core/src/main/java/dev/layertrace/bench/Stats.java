package dev.layertrace.bench;

import java.util.Arrays;

/** Order statistics for the suite's samples. */
public final class Stats {
  private Stats() {}

  /** Nearest-rank percentile {@code p} (0..100) of {@code values}; NaN when there are none. */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  public static double median(double[] values) {
    return percentile(values, 50);
  }
}
