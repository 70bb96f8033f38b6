package dev.layertrace.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the tool outputs recorded by {@link LabFixtureRecorder} from the test resources. */
final class LabFixtures {
  private LabFixtures() {}

  /** The snapshot of recorded lab state {@code name} (healthy, nft-split-brain, …). */
  static LabSnapshot snapshot(String name) {
    List<NamespaceState> states = new ArrayList<>();
    for (String ns : LabTopology.standard().namespaces()) {
      states.add(namespace(name, ns));
    }
    return new LabSnapshot(states);
  }

  static NamespaceState namespace(String name, String ns) {
    return LabStateParser.parse(ns, read(name, ns + ".ip-address.json"), read(name, ns + ".ip-route.json"),
        read(name, ns + ".sysctl.txt"), read(name, ns + ".iptables-save.txt"), read(name, ns + ".nft.txt"));
  }

  static String read(String name, String file) {
    String path = "/dev/layertrace/lab/fixtures/" + name + "/" + file;
    try (InputStream in = LabFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
