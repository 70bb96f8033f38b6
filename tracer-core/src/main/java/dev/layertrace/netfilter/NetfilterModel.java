package dev.layertrace.netfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every netfilter table of one namespace, from both backends.
 *
 * @param tables nft tables (native and iptables-nft) first, in nft's order, then iptables-legacy tables
 * @param notes what could not be modelled exactly (e.g. an iptables-nft chain whose iptables-nft-save
 *     rules did not line up with nft's)
 */
public record NetfilterModel(List<Table> tables, List<String> notes) {

  public NetfilterModel {
    tables = List.copyOf(tables);
    notes = List.copyOf(notes);
  }

  /** Parses a dump: the nft JSON, enriched by iptables-nft-save, plus the legacy tables. */
  public static NetfilterModel parse(NetfilterDump dump) {
    List<Table> nft = NftJsonParser.parse(dump.nftJson());
    return assemble(nft, Companion.parse(dump.iptablesNftSave()), dump.iptablesLegacySave());
  }

  /**
   * As {@link #parse(NetfilterDump)}, with iptables-nft-save's output parsed ahead: a reader that has it
   * before nft's (the smaller output, on a big ruleset the faster tool) parses it while nft still runs.
   * Same model, same notes.
   */
  public static NetfilterModel parse(String nftJson, Companion companion, String iptablesLegacySave) {
    return assemble(NftJsonParser.parse(nftJson), companion, iptablesLegacySave);
  }

  private static NetfilterModel assemble(List<Table> nft, Companion companion, String iptablesLegacySave) {
    List<String> notes = new ArrayList<>();
    if (companion.problem() != null) {
      // Only an enrichment: without it the iptables-nft rules keep nft's view (xt parts unknown).
      notes.add(companion.problem());
    } else if (companion.tables() != null) {
      nft = IptablesNftMerger.merge(nft, companion.tables(), notes);
    }
    List<Table> all = new ArrayList<>(nft);
    all.addAll(IptablesSaveParser.parse(iptablesLegacySave, Backend.IPTABLES_LEGACY));
    return new NetfilterModel(all, notes);
  }

  /**
   * iptables-nft-save's output, parsed: its tables, or (when it could not be parsed) the note that says
   * so; both null when there was none.
   */
  public record Companion(List<Table> tables, String problem) {
    public static Companion parse(String iptablesNftSave) {
      if (iptablesNftSave.isBlank()) {
        return new Companion(null, null);
      }
      try {
        return new Companion(IptablesSaveParser.parse(iptablesNftSave, Backend.IPTABLES_NFT), null);
      } catch (NetfilterParseException e) {
        return new Companion(null, e.getMessage());
      }
    }
  }

  /** The backends that hold a table with rules or a non-accept policy. */
  public Set<Backend> backendsInUse() {
    Set<Backend> in = EnumSet.noneOf(Backend.class);
    tables.stream().filter(Table::hasEffect).forEach(t -> in.add(t.backend()));
    return in;
  }

  /** Tables with rules or a non-accept policy. */
  public List<Table> tablesInUse() {
    return tables.stream().filter(Table::hasEffect).toList();
  }

  /** True when rules live both in iptables-legacy and in nf_tables (native or iptables-nft). */
  public boolean bothBackendsInUse() {
    Set<Backend> in = backendsInUse();
    return in.contains(Backend.IPTABLES_LEGACY)
        && (in.contains(Backend.NFTABLES) || in.contains(Backend.IPTABLES_NFT));
  }

  /** The base chains at {@code hook} that see IPv4 packets, in the order the kernel runs them. */
  public List<ChainRef> baseChainsAt(Hook hook) {
    List<ChainRef> at = new ArrayList<>();
    for (Table t : tables) {
      if (!t.family().seesIpv4()) {
        continue;
      }
      for (Chain c : t.chains()) {
        if (c.hook() == hook) {
          at.add(ChainRef.of(t, c));
        }
      }
    }
    // Stable sort: at equal priority keep nft's order, legacy after (the kernel's order is unspecified).
    at.sort(Comparator.comparingInt(ChainRef::priority));
    return at;
  }

  /** The table that holds {@code ref}'s chain. */
  Table table(ChainRef ref) {
    return tables.stream()
        .filter(t -> t.family() == ref.family() && t.name().equals(ref.table()) && t.backend() == ref.backend())
        .findFirst().orElseThrow();
  }

  @Override
  public String toString() {
    return tables.stream().map(Table::label).collect(Collectors.joining(", ", "NetfilterModel[", "]"));
  }
}
