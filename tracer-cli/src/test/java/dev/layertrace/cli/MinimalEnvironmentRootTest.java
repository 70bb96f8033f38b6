package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.testing.RootOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * layertrace in a hostile, minimal environment: a real child process in a mount namespace of its own
 * ({@code unshare --mount --propagation private}) where, before {@code exec java}, parts of the
 * system are hidden under empty read-only tmpfs mounts:
 * <ul>
 *   <li>{@code /sys}: no sysfs, so no tracefs either ({@code /sys/kernel/tracing} is gone and cannot
 *       be mounted on a read-only tmpfs);</li>
 *   <li>{@code /proc/sys}, the JVM's own {@code /proc/PID/net} (the shell execs java, so the pid is
 *       the JVM's; its per-thread {@code /proc/PID/task/TID/net} cannot be hidden this way) and
 *       {@code /proc/config.gz} (an empty file bind-mounted over it); /proc itself stays, the JVM needs
 *       it;</li>
 *   <li>both at once.</li>
 * </ul>
 * {@code doctor}, {@code path} and {@code trace} (on a private lab copy, {@code lt-h10-*}) must say
 * what they cannot see and still do what they can: doctor reports the rest, path and trace still
 * find the path (over netlink) and the verdict. Never a stack trace. Bound: 9 runs, about 30 s.
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class MinimalEnvironmentRootTest {
  private static final String PREFIX = "lt-h10-";
  private static final LabTopology COPY = LabTopology.copy(PREFIX, LabTopology.VmmLink.VETH);

  /** What is hidden, as shell commands run in the new mount namespace before java starts. */
  enum Hidden {
    SYS("mount -t tmpfs -o ro none /sys"),
    PROC("mount -t tmpfs -o ro none /proc/sys && mount -t tmpfs -o ro none /proc/$$/net"
        + " && { [ ! -e /proc/config.gz ] || mount --bind \"$LT_EMPTY\" /proc/config.gz; }"),
    BOTH(SYS.mounts + " && " + PROC.mounts);

    final String mounts;

    Hidden(String mounts) {
      this.mounts = mounts;
    }
  }

  @TempDir
  Path tmp;
  private LabSystem copy;

  @BeforeAll
  void setUp() {
    copy = new LabSystem(COPY, new LabRuntime(Path.of("/run/layertrace/" + PREFIX + "lab")), List.of());
    copy.up();
  }

  @AfterAll
  void tearDown() {
    if (copy != null) {
      copy.down();
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> rows = new ArrayList<>();
    for (Hidden h : Hidden.values()) {
      // doctor: exit 1 (it found things missing) and names what it could not read.
      rows.add(Arguments.of(h, "doctor", List.of(1), h == Hidden.PROC ? "/proc/sys/net/ipv4/ip_forward absent"
          : "/sys/kernel/tracing absent"));
      rows.add(Arguments.of(h, "path --from netns:" + COPY.ctr() + " --to " + LabTopology.REMOTE, List.of(0),
          COPY.inet()));
      rows.add(Arguments.of(h, "trace --from netns:" + COPY.ctr() + " --to " + LabTopology.REMOTE, List.of(0),
          h == Hidden.PROC ? "verdict  reached" : "layertrace: note: kernel drop events unavailable"));
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "without {0}: {1}")
  @MethodSource("cases")
  void saysWhatItCannotSeeAndDoesWhatItCan(Hidden hidden, String command, List<Integer> exits, String says)
      throws IOException {
    Path empty = tmp.resolve("empty");
    Files.write(empty, new byte[0]);
    List<String> prefix = List.of("env", "LT_EMPTY=" + empty, "unshare", "--mount", "--propagation", "private", "sh",
        "-c", hidden.mounts + " && exec \"$@\"", "sh");
    ChildCli c = ChildCli.start(prefix, System.getProperty("java.class.path"), null, tmp.resolve("out.log"),
        command.split(" "));
    int exit = c.await(Duration.ofSeconds(60));
    String out = c.output();
    System.out.println("== without " + hidden + ": " + command + " -> exit " + exit + "\n" + out);
    assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(exit).as(out).isIn(exits);
    assertThat(out).contains(says);
  }
}
