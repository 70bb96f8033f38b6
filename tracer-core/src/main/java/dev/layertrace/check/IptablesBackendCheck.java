package dev.layertrace.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which backend the {@code iptables} binary dockerd calls uses ({@code iptables --version} says
 * {@code (nf_tables)} or {@code (legacy)}) and whether the kernel has it.
 */
public final class IptablesBackendCheck implements Check {

  @Override
  public String id() {
    return "netfilter.iptables_backend";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.NETFILTER;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    Optional<CommandFact> run = facts.command(FactPaths.CMD_IPTABLES_VERSION);
    if (run.isEmpty()) {
      return result(CheckStatus.UNKNOWN, List.of("iptables --version not run"), "", "");
    }
    if (!run.get().ran()) {
      return result(CheckStatus.MISSING, List.of(run.get().evidence()), "dockerd refuses to start: \"failed to"
          + " find iptables: exec: \\\"iptables\\\": executable file not found in $PATH\"",
          "apt-get install iptables");
    }
    Optional<IptablesVersion> version = IptablesVersion.parse(run.get().stdout() + run.get().stderr());
    if (version.isEmpty()) {
      return result(CheckStatus.UNKNOWN, List.of(run.get().evidence()), "", "");
    }
    IptablesVersion v = version.get();
    List<String> evidence = new ArrayList<>();
    evidence.add("iptables --version: iptables v" + v.version() + " (" + v.backend() + ")");
    Optional<KernelConfig> config = facts.parsedKernelConfig();
    // Since Linux 6.9 the legacy x_tables tables have their own symbol; older configs do not know it.
    String symbol = v.nfTables() ? "NF_TABLES"
        : config.filter(c -> c.mentions("IP_NF_IPTABLES_LEGACY")).isPresent() ? "IP_NF_IPTABLES_LEGACY" : "IP_NF_IPTABLES";
    String why = "every iptables call dockerd makes fails: \"" + v.errorPrefix() + ": "
        + (v.nfTables() ? "Could not fetch rule set generation id: Invalid argument"
            : "can't initialize iptables table `filter': Table does not exist (do you need to insmod?)") + "\"";
    String fix = "switch iptables to the backend the kernel has: update-alternatives --set iptables /usr/sbin/iptables-"
        + (v.nfTables() ? "legacy" : "nft");
    if (config.isPresent()) {
      evidence.add(config.get().evidence(symbol));
      if (!config.get().enabled(symbol)) {
        return result(CheckStatus.WRONG, evidence, why, fix);
      }
    }
    return result(CheckStatus.OK, evidence, why, fix);
  }
}
