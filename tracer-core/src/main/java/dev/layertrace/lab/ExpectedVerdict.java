package dev.layertrace.lab;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import dev.layertrace.model.Verdict;
import java.util.Objects;

/**
 * The verdict a trace should reach under a fault: outcome, the layer's kind and namespace, and the
 * cause code of DESIGN.md's vocabulary.
 *
 * @param netns null where the layer is in no namespace (the vmm-link between two kernels)
 */
public record ExpectedVerdict(Outcome outcome, LayerKind kind, String netns, String cause) {
  public ExpectedVerdict {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(cause, "cause");
  }

  /** True when {@code v} has this outcome, layer kind, namespace and cause. */
  public boolean matches(Verdict v) {
    return v != null && v.outcome() == outcome && Objects.equals(v.cause(), cause) && v.layer() != null
        && v.layer().kind() == kind && Objects.equals(v.layer().netns(), netns);
  }

  /** {@code stopped · nic lt-guest · mtu-exceeded}, the notation. */
  public String describe() {
    return outcome.word() + " · " + kind.word() + (netns == null ? "" : " " + netns) + " · " + cause;
  }
}
