package dev.layertrace.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.model.LayerKind;
import dev.layertrace.model.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DockerLabPlanTest {
  static final DockerLabPlan STANDARD = DockerLabPlan.standard();
  static final DockerLabPlan COPY = new DockerLabPlan(LabTopology.copy("lt-tdock-", LabTopology.VmmLink.VETH),
      Path.of("/run/layertrace/lt-tdock-docker"));

  @Test
  void everythingTheDaemonOwnsLivesUnderOneRuntimeFolder() {
    Path root = Path.of("/run/layertrace/docker");
    assertThat(List.of(STANDARD.dataRoot(), STANDARD.execRoot(), STANDARD.socket(), STANDARD.pidFile(), STANDARD.log()))
        .allSatisfy(p -> assertThat(p.startsWith(root)).as(p.toString()).isTrue());
    assertThat(STANDARD.dockerHost()).isEqualTo("unix:///run/layertrace/docker/docker.sock");
    assertThat(STANDARD.netns()).isEqualTo("lt-guest");
  }

  @Test
  void theDaemonGetsItsOwnBridgeAndFolders() {
    List<String> args = STANDARD.dockerdArgs(true);
    assertThat(args.get(0)).isEqualTo("/usr/sbin/dockerd");
    assertThat(String.join(" ", args)).contains("--data-root /run/layertrace/docker/data",
        "--exec-root /run/layertrace/docker/exec", "-H unix:///run/layertrace/docker/docker.sock",
        "--pidfile /run/layertrace/docker/docker.pid", "--bridge lt-dock0");
    assertThat(args).doesNotContain("--iptables=false");
    assertThat(STANDARD.dockerdArgs(false)).contains("--iptables=false");
  }

  @Test
  void theBridgeIsNotTheLabsDocker0AndItsSubnetIsNotLtCtrs() {
    assertThat(DockerLabPlan.BRIDGE).isNotEqualTo("docker0");
    assertThat(DockerLabPlan.BRIDGE_CIDR).doesNotStartWith("172.17.");
    assertThat(STANDARD.bridgeSteps()).allSatisfy(s -> assertThat(((LabStep.Exec) s).netns()).isEqualTo("lt-guest"));
  }

  @Test
  void theDaemonIsRecognisedByItsDataRootOnly() {
    String ours = String.join("\0", STANDARD.dockerdArgs(true)) + "\0";
    assertThat(STANDARD.isOurDaemon(ours)).isTrue();
    assertThat(COPY.isOurDaemon(ours)).isFalse();
    assertThat(STANDARD.isOurDaemon("/usr/sbin/dockerd\0-H\0fd://\0")).isFalse();
    assertThat(STANDARD.isOurDaemon("sleep\0--data-root\0/run/layertrace/docker/data\0")).isFalse();
    assertThat(STANDARD.isOurHelper("containerd\0--config\0/run/layertrace/docker/exec/containerd/containerd.toml\0"))
        .isTrue();
    assertThat(STANDARD.isOurHelper("containerd\0--config\0/etc/containerd/config.toml\0")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(DockerLabFault.class)
  void everyFaultChangesOnlyTheGuest(DockerLabFault f) {
    for (DockerLabPlan p : List.of(STANDARD, COPY)) {
      Stream.concat(f.breakSteps(p).stream(), f.healSteps(p).stream())
          .forEach(s -> assertThat(((LabStep.Exec) s).netns()).isEqualTo(p.netns()));
      assertThat(f.expectedVerdict(p).netns()).isEqualTo(p.netns());
    }
    assertThat(DockerLabFault.of(f.word())).contains(f);
    assertThat(LabFault.of(f.word())).as("no clash with the lab's catalog").isEmpty();
  }

  @Test
  void theExpectedVerdictsAreThoseMeasuredOnTheRealDaemon() {
    assertThat(Stream.of(DockerLabFault.values()).map(f -> f.word() + ": " + f.expectedVerdict(STANDARD).describe()))
        .containsExactly(
            "docker-no-masquerade: reply-lost · nat lt-guest · not-translated",
            "docker-user-drop: stopped · filter lt-guest · filtered",
            "docker-iptables-off: stopped · filter lt-guest · filtered",
            "docker-ip-forward-off: stopped · forwarding lt-guest · forwarding-disabled");
    assertThat(DockerLabFault.DOCKER_IPTABLES_OFF.daemonOnBreak()).isEqualTo(DockerLabFault.Daemon.RESTART_WITHOUT_IPTABLES);
    assertThat(DockerLabFault.DOCKER_USER_DROP.expectedVerdict(STANDARD))
        .isEqualTo(new ExpectedVerdict(Outcome.STOPPED, LayerKind.FILTER, "lt-guest", "filtered"));
  }

  @Test
  void removalPutsBackTheLabsOwnRulesAndDeletesTheBridge() {
    List<String> lines = STANDARD.removalSteps().stream().map(s -> ((LabStep.Exec) s).display()).toList();
    assertThat(lines).contains(
        "ip netns exec lt-guest iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
        "ip -n lt-guest link del lt-dock0");
  }
}
