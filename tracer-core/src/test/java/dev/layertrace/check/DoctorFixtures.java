package dev.layertrace.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the recorded doctor snapshots and kernel configs of {@code src/test/resources/check}. */
final class DoctorFixtures {
  static final String CONFIG = "config-6.18-microvm";
  static final String CONFIG_NO_NF_NAT = "config-6.18-microvm-no-nf-nat";
  static final String CONFIG_NO_BRIDGE_NETFILTER = "config-6.18-microvm-no-bridge-netfilter";

  private DoctorFixtures() {}

  /** A recorded snapshot with this machine's recorded kernel config put in as /proc/config.gz. */
  static SystemFacts facts(String name) {
    return facts(name, CONFIG);
  }

  /** A recorded snapshot with the kernel config fixture {@code config}. */
  static SystemFacts facts(String name, String config) {
    return SystemFactsJson.parse(resource(name)).withKernelConfig(kernelConfig(config));
  }

  /** A kernel config fixture, as the reader would have read it from /proc/config.gz. */
  static FileFact kernelConfig(String config) {
    return FileFact.present("/proc/config.gz", resource("kernel-config/" + config));
  }

  static String resource(String name) {
    try (InputStream in = DoctorFixtures.class.getResourceAsStream("/check/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture check/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
