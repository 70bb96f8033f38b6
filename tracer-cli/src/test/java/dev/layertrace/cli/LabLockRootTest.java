package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code lab up} started at the same moment as real processes: the lab lock (flock on
 * {@code /run/layertrace/lab/lock}) lets one build while the other says in one line that it waits,
 * then finds the lab up and changes nothing. One lab, one relay, both exit 0. Also {@code lab up}
 * racing {@code lab down}: the lab ends either whole or gone, never half. Bound: 3 + 3 rounds,
 * about 30 s.
 */
@RootOnly
@Timeout(180)
class LabLockRootTest {
  @TempDir
  Path tmp;

  @BeforeEach
  @AfterEach
  void clean() {
    StringWriter s = new StringWriter();
    PrintWriter w = new PrintWriter(s, true);
    assertThat(Main.run(new String[] {"cleanup"}, w, w)).as(s.toString()).isEqualTo(0);
  }

  @RepeatedTest(3)
  void twoConcurrentLabUpsBuildOneLab() {
    ChildCli a = ChildCli.start(tmp.resolve("a.log"), "lab", "up");
    ChildCli b = ChildCli.start(tmp.resolve("b.log"), "lab", "up");
    int ea = a.await(Duration.ofSeconds(60));
    int eb = b.await(Duration.ofSeconds(60));
    String both = "A:\n" + a.output() + "\nB:\n" + b.output();
    assertThat(ea).as(both).isZero();
    assertThat(eb).as(both).isZero();
    List<String> outs = List.of(a.output(), b.output());
    assertThat(outs.stream().filter(o -> o.contains("lab: up in")).count()).as(both).isEqualTo(1);
    String waiter = outs.stream().filter(o -> o.contains("lab: already up")).findFirst().orElse("");
    assertThat(waiter).as(both).isNotEmpty();
    // Both JVMs start together and a build takes over a second: the second one waited, and said so.
    System.out.println("lab lock: the second lab up printed:\n" + waiter.strip());
    assertThat(waiter.lines().filter(l -> l.startsWith("layertrace: waiting for the lab lock")).count())
        .as(both).isEqualTo(1);
    SystemResidue s = SystemResidue.scan(Set.of(a.pid(), b.pid()), "lt-h10-");
    assertThat(s.namespaces()).containsExactlyInAnyOrderElementsOf(LabTopology.standard().namespaces());
    assertThat(s.relays()).as("exactly one relay").hasSize(1);
    assertThat(s.cleanExcept(LabTopology.standard().namespaces())).as(s.toString()).isTrue();
  }

  @Test
  void labUpRacingLabDownLeavesAWholeLabOrNone() {
    for (int round = 0; round < 3; round++) {
      ChildCli up = ChildCli.start(tmp.resolve("up.log"), "lab", "up");
      ChildCli.sleep(150L * round);
      ChildCli down = ChildCli.start(tmp.resolve("down.log"), "lab", "down");
      int eu = up.await(Duration.ofSeconds(60));
      int ed = down.await(Duration.ofSeconds(60));
      assertThat(ed).as(down.output()).isZero();
      assertThat(eu).as(up.output()).isZero();
      SystemResidue s = SystemResidue.scan(Set.of(up.pid(), down.pid()), "lt-h10-");
      if (s.namespaces().isEmpty()) {
        assertThat(s.clean()).as("round " + round + ": gone: " + s).isTrue();
      } else {
        assertThat(s.namespaces()).as("round " + round + ": whole").containsExactlyInAnyOrderElementsOf(
            LabTopology.standard().namespaces());
        assertThat(s.relays()).hasSize(1);
      }
      clean();
    }
  }
}
