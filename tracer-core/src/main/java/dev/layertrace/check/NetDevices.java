package dev.layertrace.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Interface facts parsed from {@code /proc/net/dev}, {@code /proc/net/route} and {@code ip -o link show}. */
final class NetDevices {
  private NetDevices() {}

  /** Interface names from {@code /proc/net/dev}. */
  static List<String> names(SystemFacts facts) {
    List<String> out = new ArrayList<>();
    for (String line : facts.file(FactPaths.NET_DEV).lines()) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("Inter") && !line.startsWith("face")) {
        out.add(line.substring(0, colon).strip());
      }
    }
    return out;
  }

  /** The interface of the IPv4 default route, from {@code /proc/net/route}. */
  static Optional<String> defaultRouteInterface(SystemFacts facts) {
    for (String line : facts.file(FactPaths.NET_ROUTE).lines()) {
      String[] f = line.split("\\s+");
      if (f.length > 7 && f[1].equals("00000000") && f[7].equals("00000000")) {
        return Optional.of(f[0]);
      }
    }
    return Optional.empty();
  }

  /** The IPv4 network routed out of {@code dev} (e.g. docker0's 172.17.0.0), as dotted quad. */
  static Optional<String> connectedNetwork(SystemFacts facts, String dev) {
    for (String line : facts.file(FactPaths.NET_ROUTE).lines()) {
      String[] f = line.split("\\s+");
      if (f.length > 7 && f[0].equals(dev) && !f[1].equals("00000000") && f[2].equals("00000000")) {
        long v = Long.parseLong(f[1], 16); // little-endian in /proc/net/route
        return Optional.of((v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff));
      }
    }
    return Optional.empty();
  }

  /** MTU per interface from {@code ip -o link show}. */
  static Map<String, Integer> mtus(String ipLinkOutput) {
    Map<String, Integer> out = new HashMap<>();
    for (String line : ipLinkOutput.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 5) {
        continue;
      }
      String name = f[1].replaceAll(":$", "");
      int at = name.indexOf('@');
      name = at > 0 ? name.substring(0, at) : name;
      for (int i = 2; i + 1 < f.length; i++) {
        if (f[i].equals("mtu")) {
          try {
            out.put(name, Integer.parseInt(f[i + 1]));
          } catch (NumberFormatException e) {
            // not a number: skip the line
          }
          break;
        }
      }
    }
    return out;
  }
}
