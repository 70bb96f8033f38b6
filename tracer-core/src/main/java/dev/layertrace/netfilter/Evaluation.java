package dev.layertrace.netfilter;

import java.util.List;
import java.util.Optional;

/**
 * The static netfilter verdict for one flow in one namespace.
 *
 * @param flow what was evaluated
 * @param hooks each hook on the flow's path, in order, up to the one that stopped it
 * @param verdict accept when every hook let the packet pass
 * @param rewrites the NAT translations to expect, in order
 * @param splitBrain which backends and tables hold rules, and which chain decided where several compete
 * @param notes what the evaluation could not know (an unknown interface address, a missing jump target)
 */
public record Evaluation(Flow flow, List<HookResult> hooks, PacketVerdict verdict, List<NatRewrite> rewrites,
    SplitBrain splitBrain, List<String> notes) {

  public Evaluation {
    hooks = List.copyOf(hooks);
    rewrites = List.copyOf(rewrites);
    notes = List.copyOf(notes);
  }

  public Optional<HookResult> hook(Hook hook) {
    return hooks.stream().filter(h -> h.hook() == hook).findFirst();
  }

  /** The hook that dropped or rejected the packet. */
  public Optional<HookResult> stoppedAt() {
    return hooks.stream().filter(h -> h.verdict().stops()).findFirst();
  }

  /** The source translation (masquerade/snat), if any. */
  public Optional<NatRewrite> sourceNat() {
    return rewrites.stream().filter(NatRewrite::source).findFirst();
  }

  /** The destination translation (dnat/redirect), if any. */
  public Optional<NatRewrite> destinationNat() {
    return rewrites.stream().filter(r -> !r.source()).findFirst();
  }

  /** True when no rule on the way could not be evaluated. */
  public boolean certain() {
    return hooks.stream().allMatch(HookResult::certain);
  }
}
