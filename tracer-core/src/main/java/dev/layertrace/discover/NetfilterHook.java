package dev.layertrace.discover;

import dev.layertrace.model.Finding;
import dev.layertrace.model.Protocol;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a forwarding namespace's netfilter rules for the flow, to fill the filter and nat layers.
 * The netfilter model ({@code dev.layertrace.netfilter}) plugs in here; {@link #NONE} leaves the
 * layers with a note that the rules were not evaluated.
 */
public interface NetfilterHook {
  /** The flow as it crosses one forwarding namespace: in on {@code iif}, out on {@code oif}. */
  record ForwardedFlow(String netns, String source, String destination, Protocol protocol, int port,
      String iif, String oif, String egressAddress) {}

  /**
   * What the rules decide for a forwarded flow.
   *
   * @param translatedSource the source after SNAT/MASQUERADE, or null if unchanged
   * @param findings e.g. {@code filtered} at the filter layer, {@code not-translated} at the nat layer
   */
  record Decision(Map<String, String> filter, Map<String, String> nat, String translatedSource,
      List<Finding> findings) {
    public Decision {
      filter = Map.copyOf(filter);
      nat = Map.copyOf(nat);
      findings = List.copyOf(findings);
    }
  }

  Decision forward(ForwardedFlow flow);

  /**
   * A hint: the walk has arrived in {@code netns} and the flow goes on from there, so {@link #forward}
   * will probably be asked about it soon. A hook whose rules take long to read may start now, while the
   * walk crosses the namespace's devices and asks for its route.
   */
  default void approaching(String netns) {}

  /** No netfilter model: nothing evaluated, nothing found. */
  NetfilterHook NONE = flow -> new Decision(Map.of("rules", "not evaluated"), Map.of("rules", "not evaluated"),
      null, List.of());
}
