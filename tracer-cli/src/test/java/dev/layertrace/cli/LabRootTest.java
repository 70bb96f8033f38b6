package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.FaultProbe;
import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabStatus;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.RelayStatus;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.LabRuntime;
import dev.layertrace.sys.LabSystem;
import dev.layertrace.testing.RootOnly;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lab on the real kernel: one {@code lab up} for the whole class (held under the lab lock so that
 * other test JVMs wait), real probes through it, every catalog fault broken and healed, then
 * {@code lab down} must leave nothing behind.
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabRootTest {
  private static final int REPLY_MS = 1000;

  private LabSystem lab;
  private LabSystem.AutoCloseableLock hold;
  private LabProbes probes;
  private String rootLinksBefore;

  @BeforeAll
  void up() throws Exception {
    rootLinksBefore = rootLinks();
    lab = LabCommand.lab();
    hold = lab.hold();
    LabSystem.UpResult r = lab.up();
    System.err.println("lab up: " + r.took().toMillis() + " ms (already up: " + r.alreadyUp() + ")");
    probes = new LabProbes(lab.topology());
  }

  @AfterAll
  void down() {
    try {
      if (probes != null) {
        probes.close();
      }
      if (lab != null) {
        lab.down();
      }
    } finally {
      if (hold != null) {
        hold.close();
      }
    }
  }

  @Test
  @Order(1)
  void icmpUdpAndTcpFromTheContainerGetReplies() {
    assertThat(probes.icmp(84, false, REPLY_MS)).as("ICMP echo").isTrue();
    assertThat(probes.icmp(1500, true, REPLY_MS)).as("ICMP echo, 1500 bytes, DF").isTrue();
    assertThat(probes.udp(REPLY_MS)).as("UDP datagram echoed").isTrue();
    assertThat(probes.tcp(REPLY_MS)).as("TCP SYN answered").isTrue();
    assertThat(lab.relayCounters()).hasValueSatisfying(c -> assertThat(c.phase()).isEqualTo("relaying"));
  }

  @Test
  @Order(2)
  void statusSaysHealthyInTextAndJson() {
    Run text = cli("lab", "status");
    assertThat(text.exit).as(text.out).isZero();
    assertThat(text.out).startsWith("lab: healthy").contains("relaying").contains("reply in");
    Run json = cli("lab", "status", "--format", "json");
    assertThat(json.exit).isZero();
    assertThat(json.out).contains("\"healthy\" : true").contains("\"process\" : \"RUNNING\"");
  }

  @Test
  @Order(3)
  void upTwiceIsIdempotent() {
    String before = lab.snapshot().digest();
    LabSystem.UpResult again = lab.up();
    assertThat(again.alreadyUp()).isTrue();
    assertThat(lab.snapshot().digest()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LabFault.class)
  @Order(4)
  void breakStopsTheProbeAndHealRestoresTheLabExactly(LabFault fault) {
    FaultProbe probe = fault.probe();
    assertThat(replyWithin(probe, 5)).as("%s: the probe works before the break", probe.describe()).isTrue();
    String before = lab.snapshot().canonical();

    try {
      lab.breakFault(fault);
      assertThat(probes.replies(probe, REPLY_MS)).as("%s broken: %s gets no reply", fault.word(), probe.describe())
          .isFalse();
      lab.breakFault(fault); // idempotent
      assertThat(probes.replies(probe, REPLY_MS)).as("%s broken twice", fault.word()).isFalse();
    } finally {
      lab.heal(fault); // also when the assertions fail, so one fault cannot spoil the next
    }
    assertThat(replyWithin(probe, 10)).as("%s healed: %s gets a reply", fault.word(), probe.describe()).isTrue();
    assertThat(lab.snapshot().canonical()).as("%s: state after heal equals state before break", fault.word())
        .isEqualTo(before);
  }

  @Test
  @Order(5)
  void healAllUndoesSeveralFaultsAtOnce() {
    String before = lab.snapshot().digest();
    lab.breakFault(LabFault.GUEST_NO_MASQUERADE);
    lab.breakFault(LabFault.HOST_FORWARD_DROP);
    lab.breakFault(LabFault.NFT_SPLIT_BRAIN);
    lab.breakFault(LabFault.VMM_STALLED);
    Run status = cli("lab", "status");
    lab.healAll(); // the CLI's heal --all would take the lock this class holds
    assertThat(status.exit).isEqualTo(1);
    assertThat(status.out).contains("missing -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE")
        .contains("forward policy drop").contains("native nft table(s) next to Docker's iptables rules: inet filter")
        .contains("is stopped (SIGSTOP)");
    assertThat(lab.snapshot().digest()).isEqualTo(before);
    assertThat(replyWithin(FaultProbe.ICMP_ECHO, 5)).isTrue();
  }

  @Test
  @Order(6)
  void aKilledRelayShowsInStatusAndUpRebuilds() throws Exception {
    long pid = Long.parseLong(Files.readString(LabRuntime.standard().relayPidFile()).strip());
    ProcessHandle relay = ProcessHandle.of(pid).orElseThrow();
    relay.destroyForcibly();
    relay.onExit().get();
    LabStatus s = lab.status();
    assertThat(s.healthy()).isFalse();
    assertThat(s.relay().process()).isEqualTo(RelayStatus.ProcessState.DEAD);
    Run text = cli("lab", "status");
    assertThat(text.exit).isEqualTo(1);
    assertThat(text.out).contains("pid " + pid + " is not running").contains("no carrier");

    LabSystem.UpResult r = lab.up();
    assertThat(r.alreadyUp()).isFalse();
    assertThat(lab.status().healthy()).isTrue();
  }

  @Test
  @Order(7)
  void unknownFaultAndAmbiguousHealAreUsageErrors() {
    Run r = cli("lab", "break", "no-such-fault");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("unknown fault 'no-such-fault'");
    assertThat(cli("lab", "heal").exit).isEqualTo(2);
    assertThat(cli("lab", "heal", "bridge-down", "--all").exit).isEqualTo(2);
  }

  @Test
  @Order(8)
  void downLeavesNothingAndIsIdempotent() throws Exception {
    long pid = Long.parseLong(Files.readString(LabRuntime.standard().relayPidFile()).strip());
    probes.close();
    probes = null;
    hold.close(); // the CLI's down takes the lock itself
    hold = null;
    Run down = cli("lab", "down");
    assertThat(down.exit).as(down.err).isZero();
    assertThat(cli("lab", "down").exit).isZero();
    String netns = Commands.run("ip", "netns", "list").orThrow().stdout();
    for (String ns : LabTopology.standard().namespaces()) {
      assertThat(netns).doesNotContainPattern("(?m)^" + ns + "\\b");
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("relay pid " + pid).isFalse();
    assertThat(Path.of("/run/layertrace/lab")).doesNotExist();
    assertThat(rootLinks()).isEqualTo(rootLinksBefore);
    Run status = cli("lab", "status");
    assertThat(status.exit).isEqualTo(1);
    assertThat(status.out).contains("not up");
  }

  /** Tries the probe up to {@code attempts} times: a healed link needs a moment (ARP, bridge port state). */
  private boolean replyWithin(FaultProbe probe, int attempts) {
    for (int i = 0; i < attempts; i++) {
      if (probes.replies(probe, REPLY_MS)) {
        return true;
      }
    }
    return false;
  }

  /** The root namespace's links (name, flags, mtu): what the lab must never change. */
  private static String rootLinks() {
    return String.join("\n", Commands.run("ip", "-o", "link", "show").orThrow().stdout().lines()
        .map(l -> l.replaceAll("link/.*", "").replaceAll("\\s+qlen \\d+", "")).sorted().toList());
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

}
