package dev.layertrace.cli;

import dev.layertrace.LayertraceException;
import dev.layertrace.check.Checks;
import dev.layertrace.check.DoctorReport;
import dev.layertrace.check.DoctorReportFormat;
import dev.layertrace.check.SystemFacts;
import dev.layertrace.check.SystemFactsJson;
import dev.layertrace.sys.DockerContainers;
import dev.layertrace.sys.SystemFactsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code layertrace doctor}: checks every assumption the container network stack relies on. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
        "Checks what Docker and a microVM's network assume exists right now: mounts (/sys/fs/cgroup ...),"
            + " kernel features (NAT, bridge netfilter, veth ...), netfilter backends (split brain), sysctls,"
            + " devices, DNS, the Docker daemon, and what layertrace itself needs.",
        "Each check prints its status (ok, missing, wrong, unknown), the evidence read, why it matters and a"
            + " fix; failures first. Exit 0 when nothing is missing or wrong, 1 otherwise."})
public final class DoctorCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--netns", paramLabel = "NAME",
      description = "Check the network-scoped facts (sysctls, rulesets) of network namespace NAME (/run/netns).")
  String netns;

  @Option(names = "--container", paramLabel = "NAME",
      description = "Check from inside a running Docker container's network namespace (asks the daemon).")
  String container;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a checklist), json ({\"checks\": [...]}) or md. Default: ${DEFAULT-VALUE}.")
  DoctorReportFormat format;

  @Option(names = "--record-facts", paramLabel = "FILE",
      description = "Also write the facts read (a JSON snapshot) to FILE, e.g. for a bug report or a test fixture.")
  Path recordFacts;

  @Option(names = "--facts", paramLabel = "FILE",
      description = "Evaluate a recorded snapshot instead of this system.")
  Path facts;

  @Option(names = "--timing", description = "Print how long reading and evaluating took, on stderr.")
  boolean timing;

  @Override
  public Integer call() {
    if (netns != null && container != null) {
      throw LayertraceException.usage("give --netns or --container, not both");
    }
    long start = System.nanoTime();
    // Class loading overlaps with the reads, which mostly wait for the kernel and the tools.
    CompletableFuture<Void> warm = CompletableFuture.runAsync(Checks::warmUp);
    SystemFacts read = readFacts();
    warm.join();
    long readDone = System.nanoTime();
    DoctorReport report = DoctorReport.evaluate(read);
    long evaluated = System.nanoTime();
    if (recordFacts != null) {
      try {
        Files.writeString(recordFacts, SystemFactsJson.write(read));
      } catch (IOException e) {
        throw LayertraceException.input("cannot write " + recordFacts + ": " + e.getMessage(), e);
      }
    }
    spec.commandLine().getOut().print(format.render(report));
    spec.commandLine().getOut().flush();
    if (timing) {
      spec.commandLine().getErr().printf("doctor: read facts in %d ms, evaluated %d checks in %d ms%n",
          (readDone - start) / 1_000_000, report.checks().size(), (evaluated - readDone) / 1_000_000);
    }
    return report.exitCode();
  }

  private SystemFacts readFacts() {
    if (facts != null) {
      return SystemFactsJson.read(facts);
    }
    if (container != null) {
      return SystemFactsReader.read(DockerContainers.netnsOf(container));
    }
    return SystemFactsReader.read(netns == null ? "" : netns);
  }

}
