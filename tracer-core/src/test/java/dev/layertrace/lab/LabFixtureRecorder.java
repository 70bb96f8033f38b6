package dev.layertrace.lab;

import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabStateReader;
import dev.layertrace.sys.LabSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Records the tool outputs that {@link LabStateParserTest} and {@link LabHealthTest} replay: with the
 * standard lab up ({@code layertrace lab up}), as root, from the repository root:
 *
 * <pre>
 * java -cp &lt;test classpath&gt; dev.layertrace.lab.LabFixtureRecorder healthy
 * java -cp &lt;test classpath&gt; dev.layertrace.lab.LabFixtureRecorder nft-split-brain nft-split-brain
 * </pre>
 *
 * The second argument, a catalog fault, is broken before recording and healed after.
 */
public final class LabFixtureRecorder {
  static final Path FIXTURES = Path.of("src/test/resources/dev/layertrace/lab/fixtures");

  private LabFixtureRecorder() {}

  public static void main(String[] args) throws IOException {
    String name = args[0];
    LabFault fault = args.length > 1 ? LabFault.of(args[1]).orElseThrow() : null;
    LabSystem lab = new LabSystem(LabTopology.standard(), LabRuntime.standard(), List.of());
    if (fault != null) {
      lab.breakFault(fault);
    }
    try {
      Path dir = Path.of("tracer-core").resolve(FIXTURES).resolve(name);
      Files.createDirectories(dir);
      for (String ns : LabTopology.standard().namespaces()) {
        LabStateReader.ToolOutputs o = LabStateReader.toolOutputs(ns);
        Files.writeString(dir.resolve(ns + ".ip-address.json"), o.ipAddress());
        Files.writeString(dir.resolve(ns + ".ip-route.json"), o.ipRoute());
        Files.writeString(dir.resolve(ns + ".sysctl.txt"), o.sysctl());
        Files.writeString(dir.resolve(ns + ".iptables-save.txt"), o.iptablesSave());
        Files.writeString(dir.resolve(ns + ".nft.txt"), o.nftRuleset());
      }
      System.out.println("recorded " + dir);
    } finally {
      if (fault != null) {
        lab.heal(fault);
      }
    }
  }
}
