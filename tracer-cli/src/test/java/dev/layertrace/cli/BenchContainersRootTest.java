package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.sys.Commands;
import dev.layertrace.testing.RootOnly;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The big-host benchmark's containers are real: namespaces with an addressed eth0 whose veth peer is
 * a port of a bridge in another namespace, reachable from each other, and all gone after close.
 */
@RootOnly
class BenchContainersRootTest {
  private static final String BRIDGE_NS = "lt-b9-tbr";
  private static final String PREFIX = "lt-b9-tbox";

  @BeforeAll
  static void bridge() {
    cleanUp();
    Commands.run("ip", "netns", "add", BRIDGE_NS).orThrow();
    Commands.run(List.of("ip", "-n", BRIDGE_NS, "-batch", "-"),
        "link add docker0 type bridge\naddr add 172.17.0.1/16 dev docker0\nlink set docker0 up\n",
        Duration.ofSeconds(10)).orThrow();
  }

  @AfterAll
  static void cleanUp() {
    new BenchContainers(PREFIX, BRIDGE_NS, "docker0").close();
    Commands.run("ip", "netns", "del", BRIDGE_NS);
  }

  @Test
  void containersGrowOnTheBridgeReachEachOtherAndAreRemoved() {
    try (BenchContainers boxes = new BenchContainers(PREFIX, BRIDGE_NS, "docker0")) {
      boxes.growTo(2);
      boxes.growTo(4);
      assertThat(boxes.count()).isEqualTo(4);
      assertThat(Commands.run("ip", "-n", PREFIX + "3", "-br", "addr", "show", "eth0").orThrow().stdout())
          .contains(BenchContainers.address(3) + "/16").contains("UP");
      assertThat(Commands.run("ip", "-n", BRIDGE_NS, "-br", "link", "show", "master", "docker0").orThrow().stdout()
          .lines().count()).isEqualTo(4);
      Commands.Result ping = Commands.run(List.of("ip", "netns", "exec", PREFIX + "0", "ping", "-c1", "-W2",
          BenchContainers.address(3)), null, Duration.ofSeconds(10));
      assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
    }
    assertThat(Commands.run("ip", "netns", "list").stdout()).doesNotContain(PREFIX).contains(BRIDGE_NS);
  }
}
