package dev.layertrace.netfilter;

import java.util.List;
import java.util.Optional;

/**
 * The outcome at one hook: every base chain that ran, in priority order, and the verdict.
 *
 * @param hook the hook
 * @param verdict drop or reject when any chain stopped the packet, else accept
 * @param chains the base chains that ran (or were skipped), in order
 * @param notReached base chains after the one that dropped the packet
 */
public record HookResult(Hook hook, PacketVerdict verdict, List<ChainResult> chains, List<ChainRef> notReached) {

  public HookResult {
    chains = List.copyOf(chains);
    notReached = List.copyOf(notReached);
  }

  /**
   * The chain that decided: the one that dropped or rejected the packet, else the last chain that
   * let it pass; empty when no base chain is attached to the hook.
   */
  public Optional<ChainResult> decidedBy() {
    if (chains.isEmpty()) {
      return Optional.empty();
    }
    return chains.stream().filter(c -> c.verdict().stops()).findFirst()
        .or(() -> Optional.of(chains.get(chains.size() - 1)));
  }

  /** The NAT translation made at this hook, if any. */
  public Optional<NatRewrite> rewrite() {
    return chains.stream().map(ChainResult::rewrite).filter(r -> r != null).findFirst();
  }

  /** True when no chain met a rule it could not evaluate. */
  public boolean certain() {
    return chains.stream().allMatch(ChainResult::certain);
  }
}
