package dev.layertrace.lab;

import static dev.layertrace.lab.LabStep.run;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The faults of the real-Docker lab ({@code lab up --docker}): what breaks on a real {@code dockerd}
 * in the guest, probed from the container {@value DockerLabPlan#CONTAINER}. Kept apart from
 * {@link LabFault} because two of them change the daemon itself, which the plain lab has no step
 * for. Breaking and healing are idempotent.
 */
public enum DockerLabFault {
  DOCKER_NO_MASQUERADE(
      "delete Docker's own MASQUERADE rule for " + DockerLabPlan.SUBNET + " from nat POSTROUTING in the guest",
      "The request leaves with the container's private source and arrives; the remote has no route"
          + " back, so no reply — the same story as guest-no-masquerade, told by Docker's rule.",
      Outcome.REPLY_LOST, LayerKind.NAT, "not-translated", Daemon.KEEP,
      p -> List.of(masquerade(p, "-D", true)),
      // dockerd inserts its rule at the top of POSTROUTING (above the lab's): heal puts it back there.
      p -> List.of(masquerade(p, "-D", true), masquerade(p, "-I", false))),
  DOCKER_USER_DROP(
      "insert a DROP for " + DockerLabPlan.BRIDGE + " into DOCKER-USER in the guest",
      "DOCKER-USER is the chain Docker leaves to the administrator and jumps to before its own"
          + " accept rules: a DROP there beats everything Docker set up (nft_do_chain: NETFILTER_DROP).",
      Outcome.STOPPED, LayerKind.FILTER, "filtered", Daemon.KEEP,
      p -> List.of(userDrop(p, "-D", true), userDrop(p, "-I", false)),
      p -> List.of(userDrop(p, "-D", true))),
  DOCKER_IPTABLES_OFF(
      "restart dockerd with --iptables=false (Docker's chains and rules gone, the lab's own rules kept)",
      "A daemon told not to manage iptables adds no accept rule for its bridge and no masquerade: in"
          + " the guest, whose FORWARD policy is DROP, the container's traffic meets the policy.",
      Outcome.STOPPED, LayerKind.FILTER, "filtered", Daemon.RESTART_WITHOUT_IPTABLES,
      DockerLabPlan::labRulesOnlySteps,
      p -> List.of()),
  DOCKER_IP_FORWARD_OFF(
      "set net.ipv4.ip_forward=0 in the guest, where dockerd runs",
      "dockerd turns ip_forward on when it starts but never checks again: switched off afterwards,"
          + " the guest frees the container's packet (ip_error: IP_INADDRERRORS).",
      Outcome.STOPPED, LayerKind.FORWARDING, "forwarding-disabled", Daemon.KEEP,
      p -> List.of(run(p.netns(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=0")),
      p -> List.of(run(p.netns(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")));

  /** What a fault does to the daemon around its steps. */
  public enum Daemon {
    /** Leave the daemon running. */
    KEEP,
    /** Stop it, run the steps, start it with {@code --iptables=false}. */
    RESTART_WITHOUT_IPTABLES
  }

  private final String change;
  private final String teaches;
  private final Outcome outcome;
  private final LayerKind kind;
  private final String cause;
  private final Daemon daemon;
  private final Function<DockerLabPlan, List<LabStep>> breakSteps;
  private final Function<DockerLabPlan, List<LabStep>> healSteps;

  DockerLabFault(String change, String teaches, Outcome outcome, LayerKind kind, String cause, Daemon daemon,
      Function<DockerLabPlan, List<LabStep>> breakSteps, Function<DockerLabPlan, List<LabStep>> healSteps) {
    this.change = change;
    this.teaches = teaches;
    this.outcome = outcome;
    this.kind = kind;
    this.cause = cause;
    this.daemon = daemon;
    this.breakSteps = breakSteps;
    this.healSteps = healSteps;
  }

  /** The catalog name: {@code docker-user-drop}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The fault named {@code word}, if this catalog has it. */
  public static Optional<DockerLabFault> of(String word) {
    return Stream.of(values()).filter(f -> f.word().equals(word)).findFirst();
  }

  public String change() {
    return change;
  }

  public String teaches() {
    return teaches;
  }

  /** What breaking does to the daemon; healing always leaves a daemon that manages iptables. */
  public Daemon daemonOnBreak() {
    return daemon;
  }

  /** The verdict of an ICMP echo from the container to the remote, all faults being in the guest. */
  public ExpectedVerdict expectedVerdict(DockerLabPlan p) {
    return new ExpectedVerdict(outcome, kind, p.netns(), cause);
  }

  /** The steps that make the fault (run while the daemon is stopped when {@link #daemonOnBreak()} restarts it). */
  public List<LabStep> breakSteps(DockerLabPlan p) {
    return breakSteps.apply(p);
  }

  /** The steps that undo it (a daemon started without iptables is restarted with it besides). */
  public List<LabStep> healSteps(DockerLabPlan p) {
    return healSteps.apply(p);
  }

  private static LabStep masquerade(DockerLabPlan p, String action, boolean mayFail) {
    return LabTopology.iptables(p.netns(), "nat", action, "POSTROUTING", DockerLabPlan.MASQUERADE, mayFail);
  }

  private static LabStep userDrop(DockerLabPlan p, String action, boolean mayFail) {
    return LabTopology.iptables(p.netns(), "filter", action, "DOCKER-USER", DockerLabPlan.USER_DROP, mayFail);
  }
}
