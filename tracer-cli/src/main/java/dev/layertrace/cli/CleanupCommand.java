package dev.layertrace.cli;

import dev.layertrace.ExitCode;
import dev.layertrace.sys.DockerLab;
import dev.layertrace.sys.NftRuleTrace;
import dev.layertrace.sys.TracefsSession;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code layertrace cleanup}: removes whatever a killed or crashed run left behind. Everything
 * layertrace adds carries its name, so this only ever touches layertrace's own objects.
 */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description = {
        "Removes what a crashed or killed run of layertrace left behind (the lab, tracefs instances,"
            + " rule-trace tables). Specifically:",
        "  - the lab: its lt-ctr, lt-guest, lt-host and lt-inet namespaces, the VMM relay or the QEMU guest,"
            + " the lab's dockerd,"
            + " and /run/layertrace",
        "  - tracefs instances named layertrace-<pid> whose process is gone",
        "  - nft tables layertrace_trace_<pid> (--rule-trace) whose process is gone, in every named namespace",
        "Safe to run at any time; does nothing when there is nothing to remove. Needs root."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:clean", "3:not root", "4:internal error"})
public final class CleanupCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    // The lab's dockerd first: it holds mounts inside the lab's runtime folder.
    DockerLab.standard().down();
    dev.layertrace.sys.QemuLab.standard().down(); // stops the lab's QEMU by its pid
    LabCommand.lab().down();
    out.println("lab: removed (or was not there)");
    List<Path> stale = TracefsSession.stale();
    for (Path instance : stale) {
      TracefsSession.removeInstance(instance);
    }
    out.println("tracefs: " + (stale.isEmpty() ? "no stale instance" : "removed " + stale.size() + " stale instance(s)"));
    List<String> tables = NftRuleTrace.sweepStale();
    tables.forEach(t -> out.println("removed " + t));
    out.println("rule-trace tables: " + (tables.isEmpty() ? "none left" : "removed " + tables.size()));
    return ExitCode.OK;
  }
}
