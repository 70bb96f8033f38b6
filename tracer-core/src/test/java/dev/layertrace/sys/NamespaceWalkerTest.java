package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.testing.RootOnly;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The walker really runs each piece of work inside its own namespace and leaves the caller alone. */
@RootOnly
class NamespaceWalkerTest {
  private static final List<String> NAMES = List.of("lt-tfast-w0", "lt-tfast-w1", "lt-tfast-w2", "lt-tfast-w3",
      "lt-tfast-w4");

  @BeforeAll
  static void createNamespaces() {
    for (String n : NAMES) {
      Commands.run("ip", "netns", "del", n); // a leftover of a killed run
      Commands.run("ip", "netns", "add", n).orThrow();
    }
  }

  @AfterAll
  static void deleteNamespaces() {
    NAMES.forEach(n -> Commands.run("ip", "netns", "del", n));
  }

  @Test
  void runsEachWorkInItsNamespaceInOrderOnFewThreads() {
    long callerBefore = Netns.currentThreadInode();
    List<Netns> targets = NAMES.stream().map(Netns::named).toList();

    List<long[]> seen = NamespaceWalker.walk(targets, t -> t, 2,
        t -> new long[] {Netns.currentThreadInode(), Thread.currentThread().getId()});

    List<Long> expected = new ArrayList<>();
    targets.forEach(t -> expected.add(t.inode()));
    assertThat(seen.stream().map(s -> s[0]).toList()).isEqualTo(expected).doesNotContain(callerBefore);
    assertThat(seen.stream().map(s -> s[1]).distinct().count()).isBetween(1L, 2L);
    assertThat(Netns.currentThreadInode()).isEqualTo(callerBefore);
  }

  @Test
  void aNamespaceGoneSinceTheScanGivesNullAndTheOthersAreRead() {
    Netns gone = Netns.ofPath(Path.of("/run/netns/lt-tfast-gone"));
    List<Netns> targets = List.of(Netns.named(NAMES.get(0)), gone, Netns.named(NAMES.get(1)));

    List<Long> seen = NamespaceWalker.walk(targets, t -> t, 2, t -> Netns.currentThreadInode());

    assertThat(seen).containsExactly(targets.get(0).inode(), null, targets.get(2).inode());
  }

  @Test
  void aFailingWorkStopsTheWalkAndIsThrownToTheCaller() {
    long callerBefore = Netns.currentThreadInode();
    List<Netns> targets = NAMES.stream().map(Netns::named).toList();

    assertThatThrownBy(() -> NamespaceWalker.walk(targets, t -> t, 2, t -> {
      if (t.name().equals(NAMES.get(2))) {
        throw new IllegalStateException("broken in " + t.name());
      }
      return t.name();
    })).isInstanceOf(IllegalStateException.class).hasMessage("broken in " + NAMES.get(2));
    assertThat(Netns.currentThreadInode()).isEqualTo(callerBefore);
  }

  @Test
  void aFileThatIsNoNamespaceIsAnError() {
    Netns notNetns = Netns.ofPath(Path.of("/proc/self/ns/uts"));

    assertThatThrownBy(() -> NamespaceWalker.walk(List.of(notNetns), t -> t, 1, t -> "entered"))
        .isInstanceOf(SysException.class);
  }
}
