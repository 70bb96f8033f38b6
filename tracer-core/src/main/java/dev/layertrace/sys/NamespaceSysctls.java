package dev.layertrace.sys;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the sysctls discovery reports. {@code /proc/sys/net} resolves against the network namespace of
 * the reading thread, so call {@link #readHere()} on a {@link NetnsExecutor} of the namespace wanted.
 */
public final class NamespaceSysctls {
  private static final Path NET = Path.of("/proc/sys/net");

  private NamespaceSysctls() {}

  /**
   * ip_forward, rp_filter of {@code all} and {@code default}, bridge-nf-call-iptables if loaded, and
   * rp_filter of the devices named in {@code devices} (a namespace with a thousand ports costs a
   * thousand file reads otherwise).
   */
  public static Map<String, String> readHere(java.util.Collection<String> devices) {
    Map<String, String> out = new TreeMap<>();
    put(out, "net.ipv4.ip_forward", NET.resolve("ipv4/ip_forward"));
    put(out, "net.bridge.bridge-nf-call-iptables", NET.resolve("bridge/bridge-nf-call-iptables"));
    put(out, "net.ipv4.conf.all.rp_filter", NET.resolve("ipv4/conf/all/rp_filter"));
    put(out, "net.ipv4.conf.default.rp_filter", NET.resolve("ipv4/conf/default/rp_filter"));
    for (String dev : devices) {
      if (!dev.contains("/") && !dev.startsWith(".")) {
        put(out, "net.ipv4.conf." + dev + ".rp_filter", NET.resolve("ipv4/conf").resolve(dev).resolve("rp_filter"));
      }
    }
    return out;
  }

  /** As {@link #readHere(java.util.Collection)} for every device of the namespace. */
  public static Map<String, String> readHere() {
    List<String> devs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(NET.resolve("ipv4/conf"))) {
      ds.forEach(p -> devs.add(p.getFileName().toString()));
    } catch (IOException e) {
      // no ipv4 conf: rp_filter unknown
    }
    return readHere(devs);
  }

  private static void put(Map<String, String> out, String key, Path p) {
    try {
      out.put(key, ProcReaders.read(p).orElseThrow(() -> new IOException("unreadable")).strip());
    } catch (IOException e) {
      // absent (br_netfilter not loaded) or unreadable: leave it out
    }
  }
}
