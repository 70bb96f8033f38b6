package dev.layertrace.netfilter;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether more than one ruleset competes for the packet in a namespace.
 *
 * @param backendsInUse the backends whose tables have rules or a non-accept policy
 * @param tablesInUse those tables, e.g. {@code ip filter (iptables-nft)}, {@code inet filter (nftables)}
 * @param bothBackends true when iptables-legacy and nf_tables both hold rules
 * @param competingChains for each hook on the flow's path where base chains of two or more tables
 *     with rules or a drop policy attach: those chains, in the order they run
 * @param deciding for each of those hooks, what each chain did ({@link ChainResult#describe()}), the
 *     one that decided marked with {@code "decides: "}
 */
public record SplitBrain(Set<Backend> backendsInUse, List<String> tablesInUse, boolean bothBackends,
    Map<Hook, List<ChainRef>> competingChains, Map<Hook, List<String>> deciding) {

  public SplitBrain {
    backendsInUse = Set.copyOf(backendsInUse);
    tablesInUse = List.copyOf(tablesInUse);
    competingChains = Map.copyOf(competingChains);
    deciding = Map.copyOf(deciding);
  }

  /** True when both backends hold rules or base chains of several tables compete at a hook on the path. */
  public boolean present() {
    return bothBackends || !competingChains.isEmpty();
  }
}
