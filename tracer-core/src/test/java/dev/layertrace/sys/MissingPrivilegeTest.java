package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.testing.RootOnly;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The missing-privilege paths with a real refusal by the kernel: a child JVM runs as root but without
 * CAP_NET_RAW, CAP_SYS_ADMIN and CAP_NET_ADMIN (dropped from its bounding set by setpriv).
 */
@RootOnly
class MissingPrivilegeTest {

  @Test
  void refusedOperationsNameTheMissingCapability() {
    Commands.require("setpriv", "util-linux");
    try (ScratchNetns scratch = ScratchNetns.create("priv")) {
      String drop = "-net_raw,-sys_admin,-net_admin";
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Commands.Result r = Commands.run(List.of("setpriv", "--bounding-set", drop, "--inh-caps", drop,
          java, "-cp", System.getProperty("java.class.path"), PrivilegeProbe.class.getName(), scratch.name()),
          null, Duration.ofSeconds(60)).orThrow();
      assertThat(r.stdout().lines()).containsExactly(
          "packet 3 missing privilege CAP_NET_RAW: needed to open a packet (AF_PACKET) socket (run as root, e.g. with sudo)",
          "raw-icmp 3 missing privilege CAP_NET_RAW: needed to open a raw IPv4 socket (run as root, e.g. with sudo)",
          "setns 3 missing privilege CAP_SYS_ADMIN: needed to enter network namespace " + scratch.name()
              + " (run as root, e.g. with sudo)");
    }
  }
}
