package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.lab.LabFault;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.lab.qemu.GuestControlProtocol;
import dev.layertrace.lab.qemu.QemuLabStatus;
import dev.layertrace.testing.RootOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The QEMU lab on a private copy of the names (lt-q-host, lt-q-inet on this host; lt-q-ctr and
 * lt-q-guest inside the guest kernel): boots a real Debian kernel under TCG behind lt-q-host's tap0,
 * pings the remote from the container namespace inside the guest, runs the host's JDK in the guest
 * over virtio-9p, and tears everything down. Prints the boot and JVM timings it measured.
 */
@RootOnly
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QemuLabRootTest {
  private static final LabTopology TOPOLOGY = LabTopology.copy("lt-q-", LabTopology.VmmLink.RELAY);
  private static final Path RUNTIME = Path.of("/run/layertrace/lt-q-lab");

  private QemuLab lab;
  private String rootLinksBefore;

  @BeforeAll
  void up() {
    rootLinksBefore = rootLinks();
    lab = new QemuLab(TOPOLOGY, new LabRuntime(RUNTIME), QemuImageBuilder.CACHE,
        Path.of(System.getProperty("java.home")), QemuLab.currentClasspath());
    lab.down(); // a killed earlier run
    QemuLab.UpResult r;
    try {
      r = lab.up();
    } catch (RuntimeException e) {
      // What the guest printed is the only evidence of a failed boot: show it before @AfterAll removes it.
      System.err.println("guest console:\n" + consoleLog() + "\nguest lab script output:\n"
          + labLog());
      throw e;
    }
    System.err.printf("qemu lab up: %d ms (image %s, %d ms, %s); guest answered after %d ms, path after %d ms;"
            + " guest milestones %s%n", r.took().toMillis(), r.image().fromCache() ? "cached" : "built",
        r.image().took().toMillis(), r.image().kernelPackage(), r.untilGuestAnswered().toMillis(),
        r.untilPathAnswered().toMillis(), r.guestMilestones());
  }

  @AfterAll
  void down() {
    if (lab != null) {
      lab.down();
    }
  }

  @Test
  @Order(1)
  void theGuestIsAnotherKernelWithTheLabInside() {
    GuestControlProtocol.Answer kernel = lab.guestRun("uname -r; ip netns list; ip -n " + TOPOLOGY.guest()
        + " -br addr show eth0; ip netns exec " + TOPOLOGY.guest() + " iptables -t nat -S POSTROUTING",
        Duration.ofSeconds(60));
    assertThat(kernel.ok()).as(kernel.output()).isTrue();
    assertThat(kernel.output()).contains(QemuImageBuilder.kernel().orElseThrow().release())
        .contains(TOPOLOGY.ctr()).contains(TOPOLOGY.guest())
        .contains(LabTopology.GUEST_IP + "/30")
        .contains(LabTopology.iptablesSaveLine("POSTROUTING", LabTopology.GUEST_MASQUERADE));
    // QEMU holds lt-q-host's tap0: the VMM behind the tap is found as for Firecracker.
    Commands.Result tap = Commands.run("ip", "-n", TOPOLOGY.host(), "-d", "link", "show", "tap0");
    assertThat(tap.stdout()).contains("tun type tap").doesNotContain("NO-CARRIER");
  }

  @Test
  @Order(2)
  void theContainerInsideTheGuestReachesTheRemoteThroughBothKernels() {
    GuestControlProtocol.Answer ping = lab.guestRun(lab.pingScript(3), Duration.ofSeconds(60));
    assertThat(ping.ok()).as(ping.output()).isTrue();
    assertThat(ping.output()).contains("3 packets received");
    // The request left the guest masqueraded by the guest and again by the host: lt-q-inet saw the uplink's address.
    Commands.Result conntrack = Commands.run("ip", "netns", "exec", TOPOLOGY.host(), "nft", "list", "table", "ip",
        LabTopology.HOST_NFT_TABLE);
    assertThat(conntrack.stdout()).contains("masquerade");
  }

  @Test
  @Order(3)
  void theHostsJdkRunsInsideTheGuest() {
    long t0 = System.nanoTime();
    GuestControlProtocol.Answer version = lab.guestRun(System.getProperty("java.home") + "/bin/java -version",
        Duration.ofSeconds(120));
    System.err.printf("in the TCG guest: java -version %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(version.ok()).as(version.output()).isTrue();
    assertThat(version.output()).contains(System.getProperty("java.version"));
  }

  @ParameterizedTest
  @EnumSource(names = {"GUEST_NO_MASQUERADE", "HOST_FORWARD_DROP", "GUEST_IP_FORWARD_OFF", "VMM_STALLED"})
  @Order(3)
  void catalogFaultsBreakThePathAcrossTheTwoKernelsAndHealingRestoresIt(LabFault fault) {
    lab.breakFault(fault);
    try {
      if (fault == LabFault.VMM_STALLED) {
        // The guest is frozen: the container cannot be asked; the host side shows the stall.
        assertThat(Commands.run(List.of("ip", "netns", "exec", TOPOLOGY.host(), "ping", "-c", "1", "-W", "1",
            LabTopology.GUEST_IP), null, Duration.ofSeconds(10)).ok()).isFalse();
      } else {
        // Generous limits: a TCG guest on a loaded 2-core host (CI) answers late now and then.
        GuestControlProtocol.Answer broken = lab.guestRun(lab.pingScript(1), Duration.ofSeconds(30));
        assertThat(broken.ok()).as(fault.word() + ": " + broken.output()).isFalse();
      }
    } finally {
      lab.heal(fault);
    }
    GuestControlProtocol.Answer healed = lab.guestRun(lab.pingScript(3), Duration.ofSeconds(60));
    assertThat(healed.output()).as(fault.word() + " healed").containsPattern("[1-3] packets received");
  }

  @Test
  @Order(4)
  void aStoppedVmmLeavesTheTapUpButNothingAnswersBehindIt() {
    String hostPing = "ping -c 1 -W 1 " + LabTopology.GUEST_IP;
    lab.pause();
    try {
      assertThat(lab.paused()).isTrue();
      assertThat(lab.status().text()).contains("paused (monitor: stop)");
      Commands.Result stalled = Commands.run(List.of("ip", "netns", "exec", TOPOLOGY.host(), "sh", "-c", hostPing), null,
          Duration.ofSeconds(10));
      assertThat(stalled.ok()).as(stalled.stdout()).isFalse();
      assertThat(Commands.run("ip", "-n", TOPOLOGY.host(), "link", "show", "tap0").stdout()).contains("state UP");
    } finally {
      lab.resume();
    }
    assertThat(lab.paused()).isFalse();
    Commands.Result resumed = Commands.run(List.of("ip", "netns", "exec", TOPOLOGY.host(), "sh", "-c",
        "ping -c 3 -W 1 " + LabTopology.GUEST_IP), null, Duration.ofSeconds(15));
    assertThat(resumed.stdout()).containsPattern("[1-3] received");
  }

  @Test
  @Order(5)
  void statusSaysTheVmRunsAndTheLabIsHealthy() {
    QemuLabStatus s = lab.status();
    assertThat(s.qemuRunning()).as(s.text()).isTrue();
    assertThat(s.healthy()).as(s.text()).isTrue();
    assertThat(s.text()).contains("running, pid " + s.qemuPid());
  }

  @Test
  @Order(6)
  void downStopsQemuAndLeavesNothing() {
    long pid = lab.status().qemuPid();
    lab.down();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Commands.run("ip", "netns", "list").stdout()).doesNotContain("lt-q-");
    assertThat(Files.exists(RUNTIME)).isFalse();
    assertThat(Files.exists(Path.of(RUNTIME + "-qemu"))).isFalse();
    assertThat(rootLinks()).isEqualTo(rootLinksBefore);
    assertThat(lab.status().absent()).isTrue();
  }

  private String consoleLog() {
    try {
      return Files.readString(lab.process().consoleLog());
    } catch (java.io.IOException e) {
      return "(none: " + e.getMessage() + ")";
    }
  }

  private String labLog() {
    try {
      String g = TOPOLOGY.guest();
      return lab.guestRun("cat /run/lab.log; ip -n " + g + " -br link; ip -n " + g + " -br addr; ip -n " + g
          + " route; ip netns exec " + g + " iptables-save; ip netns exec " + g + " ping -c 2 -W 1 "
          + LabTopology.TAP_IP + "; ip -s link show eth0; dmesg | tail -15", Duration.ofSeconds(30)).output()
          + Commands.run("ip", "-n", TOPOLOGY.host(), "-s", "link", "show", "tap0").stdout()
          + Commands.run("ip", "-n", TOPOLOGY.host(), "neigh").stdout();
    } catch (RuntimeException e) {
      return "(guest does not answer: " + e.getMessage() + ")";
    }
  }

  private static String rootLinks() {
    return Commands.run("ip", "-br", "link").stdout().lines().map(l -> l.split("\\s+")[0]).sorted().toList()
        .toString();
  }
}
