package dev.layertrace.check;

import static dev.layertrace.check.KernelIndicators.anyOf;
import static dev.layertrace.check.KernelIndicators.cgroupController;
import static dev.layertrace.check.KernelIndicators.filesystem;
import static dev.layertrace.check.KernelIndicators.module;
import static dev.layertrace.check.KernelIndicators.namespace;
import static dev.layertrace.check.KernelIndicators.none;
import static dev.layertrace.check.KernelIndicators.present;
import static dev.layertrace.check.KernelIndicators.procNet;

import java.util.List;

/** The kernel features Docker's network stack and layertrace rely on, checked by {@link KernelFeatureCheck}. */
public final class KernelFeatures {
  private KernelFeatures() {}

  private static KernelFeature kernel(String id, List<String> symbols,
      java.util.function.Function<SystemFacts, java.util.Optional<String>> sign, String why, String fix) {
    return new KernelFeature(id, CheckLayer.KERNEL, symbols, sign, why, fix);
  }

  private static String rebuild(String symbol) {
    return "use a kernel built with CONFIG_" + symbol + "=y (in a microVM: add it to the guest kernel config)";
  }

  /** The list, in the order doctor prints it. */
  public static List<KernelFeature> all() {
    return List.of(
        kernel("kernel.net_ns", List.of("NET_NS"), namespace("net"),
            "no container gets a network of its own: dockerd fails creating the sandbox (\"operation not"
                + " permitted\" or \"invalid argument\" from unshare)", rebuild("NET_NS")),
        kernel("kernel.pid_ns", List.of("PID_NS"), namespace("pid"),
            "runc cannot start containers in their own PID namespace", rebuild("PID_NS")),
        kernel("kernel.mnt_ns", List.of("NAMESPACES"), namespace("mnt"),
            "runc cannot give containers their own root filesystem", rebuild("NAMESPACES")),
        kernel("kernel.user_ns", List.of("USER_NS"), namespace("user"),
            "rootless Docker and --userns-remap cannot start (plain root Docker works)", rebuild("USER_NS")),
        kernel("kernel.veth", List.of("VETH"), module("veth"),
            "Docker cannot connect a container to docker0: \"failed to add the host (vethXXX) <=> sandbox"
                + " (vethYYY) pair interfaces: operation not supported\"", rebuild("VETH")),
        kernel("kernel.bridge", List.of("BRIDGE"), anyOf(module("bridge"), present(FactPaths.BRIDGE_SYSCTL_DIR)),
            "dockerd cannot create docker0: \"failed to create bridge docker0 via netlink: operation not"
                + " supported\"", rebuild("BRIDGE")),
        kernel("kernel.tun", List.of("TUN"), anyOf(module("tun"), present(FactPaths.TUN)),
            "a VMM (Firecracker, QEMU) cannot create the guest's tap device: open /dev/net/tun fails",
            rebuild("TUN")),
        kernel("kernel.nf_tables", List.of("NF_TABLES"), anyOf(module("nf_tables"), procNet("nf_tables")),
            "iptables-nft and nft fail: \"Could not fetch rule set generation id: Invalid argument\"",
            rebuild("NF_TABLES") + ", or switch to iptables-legacy (update-alternatives --set iptables"
                + " /usr/sbin/iptables-legacy)"),
        kernel("kernel.nf_conntrack", List.of("NF_CONNTRACK"),
            anyOf(module("nf_conntrack"), present(FactPaths.CONNTRACK_MAX)),
            "Docker's \"-m conntrack --ctstate RELATED,ESTABLISHED\" rules and NAT cannot work, so replies to"
                + " containers are dropped", rebuild("NF_CONNTRACK")),
        kernel("kernel.masquerade", List.of("NETFILTER_XT_TARGET_MASQUERADE", "IP_NF_TARGET_MASQUERADE"),
            none(),
            "Docker's POSTROUTING rule fails: \"iptables: ... Couldn't load target `MASQUERADE':No such file"
                + " or directory\"; container traffic leaves untranslated", rebuild("NETFILTER_XT_TARGET_MASQUERADE")),
        kernel("kernel.nft_masq", List.of("NFT_MASQ"), module("nft_masq"),
            "native nft 'masquerade' statements (a host's NAT for its microVMs) cannot be loaded",
            rebuild("NFT_MASQ")),
        kernel("kernel.xt_addrtype", List.of("NETFILTER_XT_MATCH_ADDRTYPE"), none(),
            "Docker's nat rules (-m addrtype --dst-type LOCAL -j DOCKER) fail: \"Couldn't load match"
                + " `addrtype'\", so published ports do not work", rebuild("NETFILTER_XT_MATCH_ADDRTYPE")),
        kernel("kernel.xt_conntrack", List.of("NETFILTER_XT_MATCH_CONNTRACK"), none(),
            "Docker's FORWARD rules fail: \"Couldn't load match `conntrack'\", so replies to containers are"
                + " dropped", rebuild("NETFILTER_XT_MATCH_CONNTRACK")),
        kernel("kernel.nft_compat", List.of("NFT_COMPAT"), module("nft_compat"),
            "iptables-nft cannot load Docker's xtables matches and targets (\"RULE_APPEND failed (No such file"
                + " or directory)\")", rebuild("NFT_COMPAT")),
        kernel("kernel.iptables_legacy", List.of("IP_NF_IPTABLES_LEGACY", "IP_NF_IPTABLES"),
            present(FactPaths.IP_TABLES_NAMES),
            "iptables-legacy fails (\"can't initialize iptables table `filter': Table does not exist\");"
                + " matters only if iptables is switched to the legacy backend", rebuild("IP_NF_IPTABLES_LEGACY")),
        kernel("kernel.overlayfs", List.of("OVERLAY_FS"), filesystem("overlay"),
            "dockerd falls back to the slow vfs storage driver (\"driver not supported: overlay2\")",
            rebuild("OVERLAY_FS")),
        kernel("kernel.cgroup_devices", List.of("CGROUP_DEVICE", "CGROUP_BPF"), cgroupController("devices"),
            "dockerd refuses to start: \"" + CgroupMountCheck.V1_ERROR + "\" (no devices controller)",
            rebuild("CGROUP_DEVICE")),
        kernel("kernel.cgroup_pids", List.of("CGROUP_PIDS"), cgroupController("pids"),
            "containers fail when --pids-limit is set and runc warns the pids controller is missing",
            rebuild("CGROUP_PIDS")),
        kernel("kernel.memcg", List.of("MEMCG"), cgroupController("memory"),
            "container memory limits are ignored and docker info warns \"No memory limit support\"",
            rebuild("MEMCG")),
        kernel("kernel.cpusets", List.of("CPUSETS"), cgroupController("cpuset"),
            "--cpuset-cpus fails and docker info warns \"No cpuset support\"", rebuild("CPUSETS")),
        new KernelFeature("layertrace.af_packet", CheckLayer.LAYERTRACE, List.of("PACKET"), procNet("packet"),
            "layertrace cannot see packets on each interface (AF_PACKET sockets fail with EAFNOSUPPORT)",
            rebuild("PACKET")),
        new KernelFeature("layertrace.raw_sockets", CheckLayer.LAYERTRACE, List.of("INET"), procNet("raw"),
            "layertrace cannot inject its probe (raw IPv4 sockets)", rebuild("INET")));
  }
}
