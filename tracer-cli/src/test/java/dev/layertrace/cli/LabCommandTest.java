package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.FaultTable;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The parts of {@code layertrace lab} that need no root: the catalog and argument errors. */
class LabCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void faultsListsEveryFaultWithItsExpectedVerdict() {
    String[] r = run("lab", "faults");
    assertThat(r[0]).isEqualTo("0");
    for (LabFault f : LabFault.values()) {
      assertThat(r[1]).contains(f.word()).contains(f.expectedVerdict().describe());
    }
  }

  @Test
  void faultsAsMarkdownIsWhatDocsFaultsMdCarries() {
    String[] r = run("lab", "faults", "--format", "markdown");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).isEqualTo(FaultTable.markdown(LabTopology.standard()));
  }

  @Test
  void faultsAsJsonNamesTheProbeAndTheVerdict() {
    String[] r = run("lab", "faults", "--format", "json");
    assertThat(r[1]).contains("\"name\" : \"mtu-blackhole\"").contains("\"size\" : 1500")
        .contains("\"cause\" : \"mtu-exceeded\"");
  }

  @Test
  void anUnknownFaultIsAUsageErrorBeforeAnythingIsTouched() {
    String[] r = run("lab", "break", "everything");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("unknown fault 'everything' (see layertrace lab faults)");
  }

  @Test
  void labAppearsInTheCommandList() {
    assertThat(run("--help")[1]).contains("lab");
  }
}
