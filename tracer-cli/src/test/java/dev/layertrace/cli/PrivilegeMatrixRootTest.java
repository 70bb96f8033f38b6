package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.testing.RootOnly;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command run with reduced privileges, as a real process under {@code setpriv}: as nobody
 * (uid/gid 65534, no capabilities) and as uid 0 with only CAP_NET_RAW (checked: CapEff 0x2000).
 * Each either works in a reduced mode that says what it cannot do (exit 0 or 1), or fails with exit
 * 3 and one line naming the missing capability; never a stack trace. With the standard lab up
 * meanwhile, none of them may change it (uid 0 without CAP_NET_ADMIN could still signal the relay
 * and unlink the lab's files: {@code lab down} did, and said it had worked). The classpath is copied
 * to a folder nobody can read. Bound: 2 x 14 runs, about 40 s.
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class PrivilegeMatrixRootTest {
  /** The two reduced identities, as setpriv arguments. */
  enum Who {
    NOBODY(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
        "--bounding-set=-all"), 0L),
    NET_RAW_ONLY(List.of("setpriv", "--inh-caps=-all,+net_raw", "--ambient-caps=+net_raw",
        "--bounding-set=-all,+net_raw"), 1L << 13);

    final List<String> prefix;
    final long capEff;

    Who(List<String> prefix, long capEff) {
      this.prefix = prefix;
      this.capEff = capEff;
    }
  }

  /** What a command must do with reduced privileges. */
  record Expect(Set<Integer> exits, String says, boolean oneLine) {
    static Expect refused(String capability) {
      return new Expect(Set.of(3), "missing privilege " + capability, true);
    }

    static Expect works(int exit, String says) {
      return new Expect(Set.of(exit), says, false);
    }
  }

  private Path base;
  private String classpath;
  private LabSystem lab;
  private long relayPid;

  static Stream<Arguments> matrix() {
    List<Arguments> rows = new ArrayList<>();
    for (Who who : Who.values()) {
      String lacks = who == Who.NOBODY ? "CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN" : "CAP_NET_ADMIN, CAP_SYS_ADMIN";
      rows.add(Arguments.of(who, "trace --from netns:lt-ctr --to 198.51.100.10", Expect.refused("CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "path --from netns:lt-ctr --to 198.51.100.10", Expect.refused("CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "demo", Expect.works(0, "replayed captures/guest-no-masquerade.json")));
      rows.add(Arguments.of(who, "doctor", Expect.works(1, "lacks " + lacks)));
      rows.add(Arguments.of(who, "lab up", Expect.refused("CAP_NET_ADMIN and CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "lab status", Expect.refused("CAP_NET_ADMIN and CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "lab break guest-no-masquerade", Expect.refused("CAP_NET_ADMIN and CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "lab down", Expect.refused("CAP_NET_ADMIN and CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "cleanup", Expect.refused("CAP_NET_ADMIN and CAP_SYS_ADMIN")));
      rows.add(Arguments.of(who, "lab faults", Expect.works(0, "guest-no-masquerade")));
      rows.add(Arguments.of(who, "render captures/guest-no-masquerade.json", Expect.works(0, "stopped here")));
      rows.add(Arguments.of(who, "bench --help", Expect.works(0, "Usage: layertrace bench")));
      rows.add(Arguments.of(who, "--version", Expect.works(0, "layertrace")));
    }
    return rows.stream();
  }

  @BeforeAll
  void setUp() throws IOException {
    cleanup();
    lab = LabCommand.lab();
    relayPid = lab.up().relayPid();
    // A folder every user can read: the classpath (from root's 0700 home and build folders) and a
    // working directory with the capture that demo replays and render reads.
    base = Files.createTempDirectory(Path.of("/tmp"), "lt-h10-priv-");
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(":")) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = base.resolve("cp").resolve((n++) + "-" + from.getFileName());
      copyTree(from, to);
      entries.add(to.toString());
    }
    classpath = String.join(":", entries);
    Path repo = Path.of(System.getProperty("lt.repo.root", "../"));
    copyTree(repo.resolve("captures/guest-no-masquerade.json"), base.resolve("work/captures/guest-no-masquerade.json"));
    readableByAll(base);
  }

  @AfterAll
  void tearDown() throws IOException {
    try {
      cleanup();
    } finally {
      if (base != null) {
        try (Stream<Path> s = Files.walk(base)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("matrix")
  void eachCommandWorksReducedOrFailsInOneLineNamingTheCapability(Who who, String command, Expect expect) {
    ChildCli c = ChildCli.start(who.prefix, classpath, base.resolve("work"), base.resolve("out.log"),
        command.split(" "));
    int exit = c.await(Duration.ofSeconds(60));
    String out = c.output();
    assertThat(out).as(who + " " + command + ": no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(exit).as(who + " " + command + ":\n" + out).isIn(expect.exits());
    assertThat(out).as(who + " " + command).contains(expect.says());
    if (expect.oneLine()) {
      assertThat(out.strip().lines()).as(who + " " + command + ": one line").hasSize(1);
      assertThat(out).startsWith("layertrace: missing privilege CAP_");
    }
    assertLabUntouched(who + " " + command);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Who.class)
  void serveRunsAndSaysLiveTracesWillBeRefused(Who who) {
    ChildCli c = ChildCli.start(who.prefix, classpath, base.resolve("work"), base.resolve("serve.log"), "serve",
        "--allow-live", "--port", "0");
    assertThat(c.awaitOutput("live token:", Duration.ofSeconds(30))).as(c.output()).isTrue();
    assertThat(c.awaitOutput("live traces will be refused", Duration.ofSeconds(5))).as(c.output()).isTrue();
    assertThat(c.output()).contains("missing privilege CAP_NET_ADMIN").doesNotContain("\tat ");
    c.signal("TERM");
    assertThat(c.await(Duration.ofSeconds(20))).isEqualTo(143);
  }

  @Test
  void setprivGivesExactlyTheCapabilitiesMeant() {
    for (Who who : Who.values()) {
      List<String> argv = new ArrayList<>(who.prefix);
      argv.addAll(List.of("cat", "/proc/self/status"));
      String status = Commands.run(argv, null, Duration.ofSeconds(10)).orThrow().stdout();
      String capEff = status.lines().filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).strip();
      assertThat(Long.parseUnsignedLong(capEff, 16)).as(who + " CapEff").isEqualTo(who.capEff);
      String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
      assertThat(uid.split("\\s+")[2]).isEqualTo(who == Who.NOBODY ? "65534" : "0");
    }
  }

  /** The lab is still whole, healthy and served by the same relay. */
  private void assertLabUntouched(String after) {
    SystemResidue s = SystemResidue.scan(Set.of(), "lt-h10-");
    assertThat(s.namespaces()).as(after).containsAll(LabTopology.standard().namespaces());
    assertThat(s.relays()).as(after).hasSize(1).first().asString().startsWith(relayPid + " ");
    assertThat(lab.status().healthy()).as(after + ": lab status healthy").isTrue();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void readableByAll(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
            : "rw-r--r--"));
      }
    }
  }

  private static void cleanup() {
    StringWriter s = new StringWriter();
    PrintWriter w = new PrintWriter(s, true);
    assertThat(Main.run(new String[] {"cleanup"}, w, w)).as(s.toString()).isEqualTo(0);
  }
}
