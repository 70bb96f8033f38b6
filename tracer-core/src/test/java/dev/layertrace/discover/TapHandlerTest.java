package dev.layertrace.discover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the process behind a tap is named on the vmm-link layer. */
class TapHandlerTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // the lab relay, as /proc/PID/cmdline shows it (classpath and JVM options say nothing useful)
      "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xmx64m -XX:+UseSerialGC -Xshare:auto -cp /a/b.jar:/c/d.jar"
          + " dev.layertrace.cli.VmmRelayMain lab vmm | java VmmRelayMain lab vmm",
      "/usr/bin/firecracker --api-sock /run/fc.sock --config-file /etc/vm.json"
          + " | firecracker --api-sock fc.sock --config-file vm.json",
      "qemu-system-x86_64 -M microvm -netdev tap,id=n0,ifname=tap0 | qemu-system-x86_64 -M microvm -netdev tap,id=n0,ifname=tap0",
      "ip netns exec lt-guest /usr/bin/relay /run/netns/lt-host | ip netns exec lt-guest relay /run/netns/lt-host"})
  void namesTheVmmWithoutItsNoise(String command, String shown) {
    assertThat(TapHandler.abbreviate(command)).isEqualTo(shown);
  }
}
