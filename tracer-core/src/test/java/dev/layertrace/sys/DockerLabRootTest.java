package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.layertrace.LayertraceException;
import dev.layertrace.docker.ContainerDetails;
import dev.layertrace.docker.ContainerSummary;
import dev.layertrace.lab.DockerLabFault;
import dev.layertrace.lab.DockerLabPlan;
import dev.layertrace.lab.LabTopology;
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
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real-Docker lab on a private copy of the lab ({@code lt-tdock-*} namespaces, veth in place of
 * the relay): Debian's dockerd started in {@code lt-tdock-guest}, the Engine API client against it,
 * container resolution, and every Docker fault broken and healed with a ping from the container's
 * own namespace. One daemon for the whole class (it starts in about a second).
 */
@RootOnly
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerLabRootTest {
  static final LabTopology TOPOLOGY = LabTopology.copy("lt-tdock-", LabTopology.VmmLink.VETH);
  static final LabRuntime LAB_RUNTIME = new LabRuntime(Path.of("/run/layertrace/lt-tdock-lab"));
  static final DockerLabPlan PLAN = new DockerLabPlan(TOPOLOGY, Path.of("/run/layertrace/lt-tdock-docker"));

  static LabSystem lab;
  static DockerLab docker;
  static DockerLab.Up up;

  @BeforeAll
  static void up() {
    lab = new LabSystem(TOPOLOGY, LAB_RUNTIME, List.of());
    docker = new DockerLab(PLAN, LAB_RUNTIME);
    try {
      lab.up();
      up = docker.up();
    } catch (RuntimeException e) {
      down();
      throw e;
    }
    System.out.printf("docker lab: dockerd %d ms, image import %d ms, container start %d ms, total %d ms%n",
        up.daemonStart().toMillis(), up.imageImport().toMillis(), up.containerStart().toMillis(),
        up.total().toMillis());
  }

  @AfterAll
  static void down() {
    try {
      if (docker != null) {
        docker.down();
      }
    } finally {
      if (lab != null) {
        lab.down();
      }
    }
    assertThat(PLAN.runtimeDir()).doesNotExist();
    assertThat(ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
        .filter(c -> c.contains(PLAN.runtimeDir().toString()))).isEmpty();
    assertThat(Commands.run("cat", "/proc/self/mountinfo").stdout()).doesNotContain(PLAN.runtimeDir().toString());
    assertThat(Path.of("/run/netns/" + TOPOLOGY.guest())).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup/memory", PLAN.cgroupParent())).doesNotExist();
    assertThat(Path.of("/sys/fs/cgroup/memory/docker")).as("Docker's default cgroup parent").doesNotExist();
  }

  @Test
  void theDaemonRunsInTheGuestNotInTheRootNamespace() {
    long pid = docker.daemonPid().orElseThrow();
    assertThat(Netns.ofPid((int) pid).inode()).isEqualTo(Netns.named(TOPOLOGY.guest()).inode())
        .isNotEqualTo(Netns.self().inode());
    assertThat(up.reachability().reached()).isTrue();
  }

  @Test
  void clientPingsListsAndInspectsTheRealDaemon() {
    try (DockerClient c = DockerClient.open(docker.host())) {
      c.ping();
      List<ContainerSummary> running = c.containers(false);
      assertThat(running).extracting(ContainerSummary::name).contains(DockerLabPlan.CONTAINER);
      ContainerDetails d = c.inspect(DockerLabPlan.CONTAINER);
      assertThat(d.name()).isEqualTo(DockerLabPlan.CONTAINER);
      assertThat(d.running()).isTrue();
      assertThat(d.pid()).isPositive();
      assertThat(d.ipAddress()).startsWith("172.18.");
      assertThat(d.gateway()).isEqualTo("172.18.0.1");
      assertThat(d.networkMode()).isEqualTo("default");
      assertThat(d.sandboxKey()).startsWith(PLAN.execRoot().resolve("netns"));
      // The sandbox key is the container's own namespace: the one its init process is in.
      assertThat(Netns.ofPath(d.sandboxKey()).inode()).isEqualTo(Netns.ofPid(d.pid()).inode())
          .isNotEqualTo(Netns.named(TOPOLOGY.guest()).inode());
    }
  }

  @Test
  void containersResolveByNameSlashNameAndIdPrefix() {
    try (DockerClient c = DockerClient.open(docker.host())) {
      ContainerDetails byName = c.running(DockerLabPlan.CONTAINER);
      assertThat(c.running("/" + DockerLabPlan.CONTAINER).id()).isEqualTo(byName.id());
      assertThat(c.running(byName.id().substring(0, 6)).id()).isEqualTo(byName.id());
      assertThat(c.running(byName.id()).pid()).isEqualTo(byName.pid());
      assertThatThrownBy(() -> c.running("lt-nobody"))
          .isInstanceOf(LayertraceException.class)
          .hasMessageStartingWith("no container named 'lt-nobody'")
          .hasMessageContaining(DockerLabPlan.CONTAINER)
          .satisfies(e -> assertThat(((LayertraceException) e).exitCode()).isEqualTo(2));
      assertThatThrownBy(() -> c.inspect("lt-nobody")).hasMessageContaining("No such container");
    }
  }

  @Test
  void aCreatedButStoppedContainerIsNotATraceSource() {
    docker(List.of("create", "--name", "lt-tdock-idle", DockerLabPlan.IMAGE, "sleep", "1"));
    try (DockerClient c = DockerClient.open(docker.host())) {
      assertThatThrownBy(() -> c.running("lt-tdock-idle"))
          .isInstanceOf(LayertraceException.class)
          .hasMessageContaining("is not running (state created)");
    } finally {
      docker(List.of("rm", "-f", "lt-tdock-idle"));
    }
  }

  @ParameterizedTest
  @EnumSource(DockerLabFault.class)
  void everyDockerFaultStopsTheContainerAndHealingRestoresIt(DockerLabFault fault) {
    String rulesBefore = guestRules();
    assertThat(ping(docker.container())).as("healthy before " + fault.word()).isTrue();
    long t0 = System.nanoTime();
    try {
      docker.breakFault(fault);
      docker.breakFault(fault); // idempotent
      long t1 = System.nanoTime();
      ContainerDetails broken = docker.container();
      long arrivedBefore = untranslatedArrivals();
      assertThat(ping(broken)).as(fault.word() + " broken").isFalse();
      // reply-lost: the request reached the remote with the container's own source; stopped: it never left.
      long arrived = untranslatedArrivals() - arrivedBefore;
      if (fault.expectedVerdict(PLAN).outcome() == dev.layertrace.model.Outcome.REPLY_LOST) {
        assertThat(arrived).as(fault.word() + ": requests from " + broken.ipAddress() + " at the remote").isPositive();
      } else {
        assertThat(arrived).as(fault.word() + ": requests from " + broken.ipAddress() + " at the remote").isZero();
      }
      System.out.println("docker lab: " + fault.word() + " broken in " + (t1 - t0) / 1_000_000 + " ms");
    } finally {
      long t2 = System.nanoTime();
      docker.heal(fault);
      System.out.println("docker lab: " + fault.word() + " healed in " + (System.nanoTime() - t2) / 1_000_000 + " ms");
    }
    docker.heal(fault); // idempotent
    assertThat(ping(docker.container())).as(fault.word() + " healed").isTrue();
    assertThat(guestRules()).as("the guest's rules after healing " + fault.word()).isEqualTo(rulesBefore);
  }

  /**
   * The trace of each real-Docker fault: the container resolved through the Engine API, Docker's own
   * rules evaluated, real probes and observers — the catalog's verdict.
   */
  @ParameterizedTest
  @EnumSource(DockerLabFault.class)
  @org.junit.jupiter.api.Order(10)
  void everyDockerFaultIsTracedToTheCatalogsVerdict(DockerLabFault fault) throws Exception {
    java.net.Inet4Address dst = (java.net.Inet4Address) java.net.InetAddress.getByName(LabTopology.REMOTE);
    dev.layertrace.probe.ProbeSpec probe = new dev.layertrace.probe.ProbeSpec(dev.layertrace.model.Protocol.ICMP, null,
        dst, 0, 0, false, 64);
    assertThat(trace(probe).outcome()).as("healthy before " + fault.word()).isEqualTo(dev.layertrace.model.Outcome.REACHED);
    docker.breakFault(fault);
    try {
      dev.layertrace.model.Verdict v = trace(probe);
      System.out.printf("docker lab trace: %-22s %s %s %s%n", fault.word(), v.outcome().word(),
          v.layer() == null ? "-" : v.layer().label(), v.cause());
      assertThat(fault.expectedVerdict(PLAN).matches(v)).as("%s: want %s, got %s %s %s%n%s", fault.word(),
          fault.expectedVerdict(PLAN).describe(), v.outcome(), v.layer(), v.cause(), String.join("\n", v.evidence()))
          .isTrue();
    } finally {
      docker.heal(fault);
    }
    assertThat(ping(docker.container())).as(fault.word() + " healed").isTrue();
  }

  /** One probe from {@code container:NAME} of the test's daemon, the way {@code layertrace trace} does it. */
  static dev.layertrace.model.Verdict trace(dev.layertrace.probe.ProbeSpec probe) {
    dev.layertrace.discover.DiscoveredPath path;
    try (LiveHost live = LiveHost.scan()) {
      String source = new SourceResolver(live, SourceResolver.dockerSocketLookup(PLAN.dockerHost()))
          .resolve(dev.layertrace.discover.SourceSpec.parse("container:" + DockerLabPlan.CONTAINER));
      path = new dev.layertrace.discover.PathResolver(new dev.layertrace.discover.DecodingHostView(live),
          new dev.layertrace.discover.RulesetHook(live::rulesets)).resolve(new dev.layertrace.discover.PathRequest(
              source, "container:" + DockerLabPlan.CONTAINER, LabTopology.REMOTE, probe.protocol(), 0));
    }
    return dev.layertrace.probe.TraceSession.trace(new dev.layertrace.probe.TraceSession.Request(path.graph(),
        path.findings(), List.of(), probe, 1, "layertrace-" + ProcessHandle.current().pid() + "-dock")).verdicts().get(0);
  }

  /**
   * Echo requests from Docker's subnet that arrived in lt-tdock-inet untranslated, counted by an nft
   * table of the test's own in that namespace.
   */
  static long untranslatedArrivals() {
    String table = "table ip lt_tdock {\n chain pre {\n  type filter hook prerouting priority -300; policy accept;\n"
        + "  ip saddr " + DockerLabPlan.SUBNET + " icmp type echo-request counter\n }\n}\n";
    if (!Commands.run("ip", "netns", "exec", TOPOLOGY.inet(), "nft", "list", "table", "ip", "lt_tdock").ok()) {
      Commands.run(List.of("ip", "netns", "exec", TOPOLOGY.inet(), "nft", "-f", "-"), table, Duration.ofSeconds(10))
          .orThrow();
    }
    String listed = Commands.run("ip", "netns", "exec", TOPOLOGY.inet(), "nft", "list", "table", "ip", "lt_tdock")
        .orThrow().stdout();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listed);
    assertThat(m.find()).as(listed).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** busybox ping from the container's namespace, entered through its init process. */
  static boolean ping(ContainerDetails d) {
    for (int i = 0; i < 3; i++) {
      Commands.Result r = Commands.run(List.of("nsenter", "--net=/proc/" + d.pid() + "/ns/net", "/bin/busybox", "ping",
          "-c", "1", "-W", "1", LabTopology.REMOTE), null, Duration.ofSeconds(10));
      if (r.ok()) {
        return true;
      }
    }
    return false;
  }

  /** The guest's iptables rules without counters (what heal must restore). */
  static String guestRules() {
    String save = Commands.run("ip", "netns", "exec", TOPOLOGY.guest(), "iptables-save").orThrow().stdout();
    return save.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", ""))
        .reduce("", (a, b) -> a + b + "\n");
  }

  static void docker(List<String> args) {
    List<String> argv = new java.util.ArrayList<>(List.of(DockerLabPlan.DOCKER, "-H", PLAN.dockerHost()));
    argv.addAll(args);
    Commands.run(argv, null, Duration.ofSeconds(30)).orThrow();
  }

  @Test
  void theDaemonsFilesStayInItsFolder() {
    assertThat(Files.exists(PLAN.socket())).isTrue();
    assertThat(Path.of("/var/lib/docker")).doesNotExist();
    assertThat(Path.of("/var/run/docker.sock")).doesNotExist();
  }

  /**
   * With {@code -Dlt.record.docker=DIR}, writes what the real daemon answers into DIR (the fixtures
   * {@code DockerJsonTest} and {@code ContainerResolverTest} replay): /_ping, the container list with
   * 17 containers (so that, by pigeonhole, two ids share their first hex digit), lt-web's details
   * and the 404 for an unknown container.
   */
  @Test
  void recordsFixturesWhenAsked() throws Exception {
    String dir = System.getProperty("lt.record.docker");
    org.junit.jupiter.api.Assumptions.assumeTrue(dir != null,
        "fixture recorder: runs only with -Dlt.record.docker=DIR (re-records the committed fixtures)");
    Path out = Files.createDirectories(Path.of(dir));
    List<String> extra = java.util.stream.IntStream.range(0, 16).mapToObj(i -> "lt-tdock-rec" + i).toList();
    for (String name : extra) {
      docker(List.of("create", "--name", name, DockerLabPlan.IMAGE, "sleep", "1"));
    }
    try (DockerClient c = DockerClient.open(docker.host())) {
      Files.writeString(out.resolve("ping.txt"), c.body("/_ping"));
      Files.writeString(out.resolve("containers-all.json"), c.body("/containers/json?all=1"));
      Files.writeString(out.resolve("container-lt-web.json"), c.body("/containers/" + DockerLabPlan.CONTAINER + "/json"));
      Files.writeString(out.resolve("container-created.json"), c.body("/containers/" + extra.get(0) + "/json"));
      Files.writeString(out.resolve("container-missing.json"), c.body("/containers/lt-nobody/json"));
    } finally {
      List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
      rm.addAll(extra);
      docker(rm);
    }
  }

  /**
   * Last: a daemon killed with SIGKILL leaves containerd, the shim, the container and their mounts;
   * the next up must clear all of that (by pidfile, exec-root and sandbox, never by name) and start
   * afresh, and the class's down then leaves nothing.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void aKilledDaemonsLeftoversAreClearedByTheNextUp() {
    long pid = docker.daemonPid().orElseThrow();
    int containerPid = docker.container().pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
    assertThat(ProcessHandle.of(containerPid)).as("the container outlives a killed daemon").isPresent();

    DockerLab.Up again = docker.up();

    assertThat(again.alreadyUp()).isFalse();
    assertThat(again.daemonPid()).isNotEqualTo(pid);
    assertThat(ProcessHandle.of(containerPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    assertThat(again.reachability().reached()).isTrue();
    assertThat(Commands.run("cat", "/proc/self/mountinfo").stdout().lines()
        .filter(l -> l.contains(PLAN.execRoot().resolve("netns").toString()))).hasSize(1);
  }
}
