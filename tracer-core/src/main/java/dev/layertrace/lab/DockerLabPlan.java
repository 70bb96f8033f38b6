package dev.layertrace.lab;

import static dev.layertrace.lab.LabStep.run;
import static dev.layertrace.lab.LabStep.tolerant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The real-Docker part of the lab ({@code lab up --docker}) as data: a Debian {@code dockerd} run in
 * the guest namespace with everything it owns under one runtime folder, an image imported offline
 * from a busybox-static root file system, and one container.
 *
 * <p>Bridge choice: the lab already has its own {@code docker0} (172.17.0.1/16, the Docker-style
 * bridge of lt-ctr). A daemon told to use {@code docker0} would adopt it, hand out 172.17.0.2 again
 * (lt-ctr's address) and add a second copy of the lab's MASQUERADE rule, so a fault on "Docker's
 * rule" would be ambiguous. The daemon therefore gets its own bridge, {@value #BRIDGE} with
 * {@value #BRIDGE_CIDR}, created by the lab ({@code dockerd -b} requires a non-default bridge to
 * exist); Docker's own chains, rules and veths then appear beside the lab's, and the container's
 * address (172.18.0.2) stays inside 172.16.0.0/12, which lt-inet has no route back to.
 *
 * @param runtimeDir everything the daemon writes: data-root, exec-root, socket, pidfile, log
 */
public record DockerLabPlan(LabTopology topology, Path runtimeDir) {
  public static final String BRIDGE = "lt-dock0";
  public static final String BRIDGE_CIDR = "172.18.0.1/16";
  public static final String SUBNET = "172.18.0.0/16";
  public static final String IMAGE = "lt-busybox";
  public static final String CONTAINER = "lt-web";
  /** Debian's daemon and client by absolute path: a client-only {@code docker} may come first on PATH. */
  public static final String DOCKERD = "/usr/sbin/dockerd";
  public static final String DOCKER = "/usr/bin/docker";
  /** The busybox applets the image links to {@code /bin/busybox}. */
  public static final List<String> APPLETS = List.of("sh", "ping", "nc", "sleep", "ip", "ifconfig", "wget",
      "cat", "ls", "echo", "route");
  /** Docker's masquerade rule for its bridge, as {@code iptables} arguments after {@code -A POSTROUTING}. */
  public static final List<String> MASQUERADE = List.of("-s", SUBNET, "!", "-o", BRIDGE, "-j", "MASQUERADE");
  /** The DROP the docker-user-drop fault puts into DOCKER-USER. */
  public static final List<String> USER_DROP = List.of("-i", BRIDGE, "-j", "DROP");

  public DockerLabPlan {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(runtimeDir, "runtimeDir");
  }

  /** The standard lab's daemon under {@code /run/layertrace/docker}. */
  public static DockerLabPlan standard() {
    return new DockerLabPlan(LabTopology.standard(), Path.of("/run/layertrace/docker"));
  }

  /** The namespace the daemon runs in. */
  public String netns() {
    return topology.guest();
  }

  public Path dataRoot() {
    return runtimeDir.resolve("data");
  }

  public Path execRoot() {
    return runtimeDir.resolve("exec");
  }

  public Path socket() {
    return runtimeDir.resolve("docker.sock");
  }

  public Path pidFile() {
    return runtimeDir.resolve("docker.pid");
  }

  public Path log() {
    return runtimeDir.resolve("dockerd.log");
  }

  /** {@code unix:///run/layertrace/docker/docker.sock}: for {@code --docker-host} and {@code DOCKER_HOST}. */
  public String dockerHost() {
    return "unix://" + socket();
  }

  /**
   * The daemon's command line (entered into the guest with {@code nsenter --net}, never {@code ip
   * netns exec}: that remounts /sys and hides /sys/fs/cgroup). A short shutdown timeout: the
   * container's {@code sleep} runs as PID 1 and ignores SIGTERM.
   */
  public List<String> dockerdArgs(boolean iptables) {
    List<String> a = new ArrayList<>(List.of(DOCKERD,
        "--data-root", dataRoot().toString(),
        "--exec-root", execRoot().toString(),
        "-H", dockerHost(),
        "--pidfile", pidFile().toString(),
        "--bridge", BRIDGE,
        "--cgroup-parent", "/" + cgroupParent(),
        "--shutdown-timeout", "1"));
    if (!iptables) {
      a.add("--iptables=false");
    }
    return List.copyOf(a);
  }

  /**
   * The cgroup (in every hierarchy) the containers go under instead of Docker's {@code docker}:
   * recognisably the lab's, and removed on down ({@code layertrace-docker} for the standard lab).
   */
  public String cgroupParent() {
    return "layertrace-" + runtimeDir.getFileName();
  }

  /** The bridge the daemon uses, made before it starts (idempotent: an existing one is kept). */
  public List<LabStep> bridgeSteps() {
    String g = netns();
    return List.of(
        tolerant(g, "ip", "link", "add", BRIDGE, "type", "bridge"),
        tolerant(g, "ip", "address", "add", BRIDGE_CIDR, "dev", BRIDGE),
        run(g, "ip", "link", "set", "dev", BRIDGE, "up"));
  }

  /** {@code docker run} arguments (after {@code docker -H …}) for the lab's container. */
  public List<String> runArgs() {
    // restart=always: the container comes back (with a new pid and netns) when the daemon restarts.
    return List.of("run", "-d", "--name", CONTAINER, "--restart", "always", IMAGE, "sleep", "2147483");
  }

  /** True when {@code cmdline} (NUL-separated, as in /proc/PID/cmdline) is this plan's daemon. */
  public boolean isOurDaemon(String cmdline) {
    List<String> argv = List.of(cmdline.split("\0"));
    int i = argv.indexOf("--data-root");
    return !argv.isEmpty() && argv.get(0).endsWith("dockerd") && i >= 0 && i + 1 < argv.size()
        && argv.get(i + 1).equals(dataRoot().toString());
  }

  /** True when {@code cmdline} is a containerd or shim our daemon started (they name our exec-root). */
  public boolean isOurHelper(String cmdline) {
    return cmdline.contains("containerd") && cmdline.contains(execRoot().toString());
  }

  /**
   * The guest's rules as if dockerd had never managed iptables: every chain flushed and Docker's
   * deleted, then the lab's own Docker-style rules for docker0 put back in their order.
   */
  public List<LabStep> labRulesOnlySteps() {
    String g = netns();
    List<LabStep> steps = new ArrayList<>(List.of(
        run(g, "iptables", "-t", "filter", "-F"), run(g, "iptables", "-t", "filter", "-X"),
        run(g, "iptables", "-t", "nat", "-F"), run(g, "iptables", "-t", "nat", "-X")));
    steps.addAll(topology.guestForwardRules());
    steps.add(topology.guestMasquerade("-A"));
    return List.copyOf(steps);
  }

  /** What {@code lab down} undoes in a guest that outlives the daemon: Docker's rules and its bridge. */
  public List<LabStep> removalSteps() {
    List<LabStep> steps = new ArrayList<>(labRulesOnlySteps());
    steps.add(tolerant(netns(), "ip", "link", "del", BRIDGE));
    return List.copyOf(steps);
  }
}
