package dev.layertrace.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How a cost grows with the number of containers: the marginal cost per container between
 * consecutive measurements and the growth exponent between the two largest ones (1 for linear
 * growth, 2 for quadratic), each measured over the cost above the smallest measurement.
 */
public final class Growth {
  private Growth() {}

  /** One measurement: {@code containers} on the host, the figure in ms. */
  public record Point(int containers, double ms) {}

  /** Marginal cost per container (ms) from each point to the next; one fewer than there are points. */
  public static List<Double> marginalMs(List<Point> points) {
    List<Double> out = new ArrayList<>();
    for (int i = 1; i < points.size(); i++) {
      Point a = points.get(i - 1);
      Point b = points.get(i);
      out.add((b.ms() - a.ms()) / (b.containers() - a.containers()));
    }
    return out;
  }

  /**
   * log(Δ_last / Δ_prev) / log(n_last / n_prev) where Δ is the cost above the first point: about 1
   * when the cost grows linearly. Null when there are fewer than three points or the middle point's
   * extra cost is within {@code noiseMs} (too small to divide by).
   */
  public static Double exponent(List<Point> points, double noiseMs) {
    if (points.size() < 3) {
      return null;
    }
    Point base = points.get(0);
    Point prev = points.get(points.size() - 2);
    Point last = points.get(points.size() - 1);
    double dPrev = prev.ms() - base.ms();
    double dLast = last.ms() - base.ms();
    if (dPrev <= noiseMs || dLast <= 0) {
      return null;
    }
    double nPrev = prev.containers() - base.containers();
    double nLast = last.containers() - base.containers();
    return Math.log(dLast / dPrev) / Math.log(nLast / nPrev);
  }
}
