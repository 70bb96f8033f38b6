package dev.layertrace.probe;

import dev.layertrace.model.Layer;
import dev.layertrace.model.LayerRef;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.PathGraph;
import dev.layertrace.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * {@code --mtu-sweep}: a binary search over DF probe sizes for the largest that is answered, and the
 * narrowest link of the path — the device with the smallest MTU, or where the smallest failing probe
 * stopped when the MTUs alone do not explain it. Pure: the caller supplies one traced verdict per size.
 */
public final class MtuSweep {
  /** The smallest IPv4 packet every link must carry (RFC 791). */
  public static final int MIN_SIZE = 68;

  /** One probe of the sweep. */
  public record Step(int size, Verdict verdict) {
    public boolean passed() {
      return verdict.outcome() == Outcome.REACHED;
    }
  }

  /**
   * What the sweep found.
   *
   * @param largestPassing the largest DF size answered, or 0 when not even {@link #MIN_SIZE} was
   * @param smallestFailing the smallest size that was not, or 0 when the largest tried passed
   * @param stoppedAt where the smallest failing probe stopped, if it stopped at a layer
   * @param narrowest the path device with the smallest MTU
   */
  public record Result(int largestPassing, int smallestFailing, LayerRef stoppedAt, Optional<Layer> narrowest,
      List<Step> steps) {
    public Result {
      steps = List.copyOf(steps);
    }

    /** The one line the text output and the capture's notes carry. */
    public String summary() {
      StringBuilder b = new StringBuilder("mtu-sweep: ");
      b.append(largestPassing == 0 ? "no DF size passes (not even " + MIN_SIZE + " bytes)"
          : "largest DF size that passes " + largestPassing + " bytes");
      if (smallestFailing > 0) {
        b.append(", " + smallestFailing + " bytes does not");
        if (stoppedAt != null) {
          b.append(" (stopped at ").append(stoppedAt.label()).append(')');
        }
      }
      narrowest.ifPresent(l -> b.append("; narrowest link ").append(l.ref().label()).append(" (MTU ")
          .append(l.mtu()).append(')'));
      return b.append("; ").append(steps.size()).append(" probes").toString();
    }
  }

  private MtuSweep() {}

  /** The largest size the first device of the path can send: its MTU, or 1500 when unknown. */
  public static int upperBound(PathGraph graph) {
    List<Layer> hops = graph.toPath().hops();
    return hops.stream().filter(l -> l.iface() != null && l.mtu() != null).map(Layer::mtu).findFirst().orElse(1500);
  }

  /** Binary search over {@code MIN_SIZE..hi}: the top first (a healthy path ends after one probe). */
  public static Result run(PathGraph graph, int hi, IntFunction<Verdict> probe) {
    List<Step> steps = new ArrayList<>();
    int top = Math.max(MIN_SIZE, hi);
    Step first = new Step(top, probe.apply(top));
    steps.add(first);
    int pass = 0;
    int fail = top;
    Verdict failed = first.verdict();
    if (first.passed()) {
      pass = top;
      fail = 0;
      failed = null;
    } else {
      int lo = MIN_SIZE;
      int high = top - 1;
      while (lo <= high) {
        int mid = (lo + high) >>> 1;
        Step s = new Step(mid, probe.apply(mid));
        steps.add(s);
        if (s.passed()) {
          pass = mid;
          lo = mid + 1;
        } else {
          fail = mid;
          failed = s.verdict();
          high = mid - 1;
        }
      }
    }
    LayerRef stopped = failed == null ? null : failed.layer();
    return new Result(pass, fail, stopped, narrowest(graph), steps);
  }

  /** The device of the path with the smallest MTU (the first of equals, in path order). */
  public static Optional<Layer> narrowest(PathGraph graph) {
    return graph.toPath().hops().stream().filter(l -> l.iface() != null && l.mtu() != null)
        .min(Comparator.comparingInt(Layer::mtu));
  }
}
