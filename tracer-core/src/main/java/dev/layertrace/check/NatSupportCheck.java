package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NAT in the kernel ({@code CONFIG_NF_NAT}) and the nat table of the backend the {@code iptables}
 * binary uses ({@code NFT_NAT} for nf_tables, {@code IP_NF_NAT} for legacy). Without it Docker's
 * {@code iptables -t nat} calls fail with "Table does not exist (do you need to insmod?)".
 */
public final class NatSupportCheck implements Check {

  @Override
  public String id() {
    return "kernel.nf_nat";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.KERNEL;
  }

  /** The error iptables prints for {@code -t nat} on such a kernel; Docker shows it verbatim. */
  static String natTableError(Optional<IptablesVersion> iptables) {
    String prefix = iptables.map(IptablesVersion::errorPrefix).orElse("iptables v1.8.x (nf_tables)");
    return prefix + ": can't initialize iptables table `nat': Table does not exist (do you need to insmod?)";
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    Optional<IptablesVersion> iptables = IptablesVersion.of(facts);
    String error = natTableError(iptables);
    String why = "dockerd cannot set up masquerading or published ports: \"iptables failed: iptables --wait -t nat"
        + " -N DOCKER: " + error + "\" and containers cannot reach the outside";
    String fix = "use a kernel built with CONFIG_NF_NAT=y and "
        + (iptables.map(IptablesVersion::nfTables).orElse(true) ? "CONFIG_NFT_NAT=y" : "CONFIG_IP_NF_NAT=y")
        + " (or load the modules: modprobe nf_nat "
        + (iptables.map(IptablesVersion::nfTables).orElse(true) ? "nft_chain_nat" : "iptable_nat") + ")";
    Optional<KernelConfig> config = facts.parsedKernelConfig();
    if (config.isPresent()) {
      KernelConfig c = config.get();
      String tableSymbol = iptables.map(IptablesVersion::nfTables).orElse(true) ? "NFT_NAT" : "IP_NF_NAT";
      List<String> evidence = new ArrayList<>();
      evidence.add(c.evidence("NF_NAT"));
      evidence.add(c.evidence(tableSymbol));
      iptables.ifPresent(v -> evidence.add("iptables backend: " + v.backend()));
      boolean ok = c.enabled("NF_NAT") && c.enabled(tableSymbol);
      return result(ok ? CheckStatus.OK : CheckStatus.MISSING, evidence, why, fix);
    }
    // No config: a nat table that exists proves support.
    FileFact names = facts.file(FactPaths.IP_TABLES_NAMES);
    if (names.lines().contains("nat")) {
      return result(CheckStatus.OK, List.of(FactPaths.IP_TABLES_NAMES + " lists nat"), why, fix);
    }
    Optional<CommandFact> nft = facts.command(FactPaths.CMD_NFT_RULESET).filter(CommandFact::ok);
    if (nft.isPresent() && nft.get().stdout().contains("\"type\": \"nat\"")) {
      return result(CheckStatus.OK, List.of("nft -j list ruleset shows a chain of type nat"), why, fix);
    }
    return result(CheckStatus.UNKNOWN, List.of(facts.kernelConfig().evidence(), "no nat table loaded yet"), why, fix);
  }
}
