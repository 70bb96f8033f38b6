package dev.layertrace.check;

import java.util.List;
import java.util.Optional;

/** tracefs, where layertrace watches {@code skb:kfree_skb} to name the kernel's drop reason. */
public final class TracefsCheck implements Check {
  private static final String WHY = "layertrace cannot record the kernel's drop reasons (skb:kfree_skb), so a"
      + " verdict rests on where the packet was last seen only";

  @Override
  public String id() {
    return "layertrace.tracefs";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.LAYERTRACE;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact dir = facts.file(FactPaths.TRACEFS);
    boolean mounted = dir.present() && dir.lines().contains("events");
    if (mounted) {
      return result(CheckStatus.OK, List.of(FactPaths.TRACEFS + " lists events"), WHY, "");
    }
    Optional<KernelConfig> config = facts.parsedKernelConfig();
    boolean built = config.map(c -> c.enabled("FTRACE") || c.enabled("TRACING"))
        .orElseGet(() -> KernelIndicators.filesystem("tracefs").apply(facts).isPresent());
    if (built) {
      return result(CheckStatus.MISSING, List.of(dir.present() ? FactPaths.TRACEFS + " is empty (not mounted)"
          : dir.evidence(), config.map(c -> c.evidence("FTRACE")).orElse(FactPaths.FILESYSTEMS + " lists tracefs")),
          WHY, "mount -t tracefs nodev /sys/kernel/tracing");
    }
    if (config.isPresent()) {
      return result(CheckStatus.MISSING, List.of(config.get().evidence("FTRACE")), WHY,
          "use a kernel built with CONFIG_FTRACE=y");
    }
    return result(CheckStatus.UNKNOWN, List.of(dir.evidence(), facts.kernelConfig().evidence()), WHY,
        "mount -t tracefs nodev /sys/kernel/tracing");
  }
}
