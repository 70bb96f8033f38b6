package dev.layertrace.sys;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.layertrace.netlink.NetlinkMessage;
import dev.layertrace.netlink.Netconf;
import dev.layertrace.netlink.RtnetlinkParser;
import dev.layertrace.netlink.RtnetlinkRequests;
import dev.layertrace.netlink.Rtnl;
import java.util.ArrayList;
import java.util.HashMap;
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

  /**
   * As {@link #readHere(java.util.Collection)}, but ip_forward and the rp_filters come from one
   * RTM_GETNETCONF dump over {@code here} (a socket of the calling thread's namespace, so the values are
   * that namespace's): with many namespaces every /proc/sys/net lookup costs ~0.2 ms, because the
   * kernel's cached sysctl dentries of all namespaces share one name hash chain. Only
   * bridge-nf-call-iptables, which netconf lacks, is a file read. A key netconf does not give falls back
   * to its file. {@code inputs} maps ifindex to device name. bridge-nf-call-iptables is read only when
   * {@code hasBridge}: it governs bridged frames alone, and on a host of a thousand container namespaces
   * (none with a bridge) its thousand file reads were a third of discovery.
   */
  public static Map<String, String> readHere(RtnetlinkClient here, Map<Integer, String> inputs, boolean hasBridge) {
    Map<Integer, Netconf> byIndex = new HashMap<>();
    try {
      for (NetlinkMessage m : here.request(s -> RtnetlinkRequests.dumpNetconf(s, Rtnl.AF_INET), Rtnl.RTM_GETNETCONF)) {
        if (m.type() == Rtnl.RTM_NEWNETCONF) {
          Netconf c = RtnetlinkParser.netconf(m);
          byIndex.put(c.ifindex(), c);
        }
      }
    } catch (RuntimeException e) {
      // no netconf (old kernel, no IPv4): every key from its file
      byIndex.clear();
    }
    Map<String, String> out = new TreeMap<>();
    Netconf all = byIndex.get(Rtnl.NETCONFA_IFINDEX_ALL);
    Netconf dflt = byIndex.get(Rtnl.NETCONFA_IFINDEX_DEFAULT);
    // net.ipv4.ip_forward is the kernel's conf/all/forwarding under another name.
    putOr(out, "net.ipv4.ip_forward", all == null ? null : all.forwarding(), NET.resolve("ipv4/ip_forward"));
    if (hasBridge) {
      put(out, "net.bridge.bridge-nf-call-iptables", NET.resolve("bridge/bridge-nf-call-iptables"));
    }
    putOr(out, "net.ipv4.conf.all.rp_filter", all == null ? null : all.rpFilter(),
        NET.resolve("ipv4/conf/all/rp_filter"));
    putOr(out, "net.ipv4.conf.default.rp_filter", dflt == null ? null : dflt.rpFilter(),
        NET.resolve("ipv4/conf/default/rp_filter"));
    inputs.forEach((index, dev) -> {
      if (!dev.contains("/") && !dev.startsWith(".")) {
        Netconf c = byIndex.get(index);
        putOr(out, "net.ipv4.conf." + dev + ".rp_filter", c == null ? null : c.rpFilter(),
            NET.resolve("ipv4/conf").resolve(dev).resolve("rp_filter"));
      }
    });
    return out;
  }

  private static void putOr(Map<String, String> out, String key, Integer fromNetconf, Path file) {
    if (fromNetconf != null) {
      out.put(key, Integer.toString(fromNetconf));
    } else {
      put(out, key, file);
    }
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
