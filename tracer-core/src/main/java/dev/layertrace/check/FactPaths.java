package dev.layertrace.check;

import java.util.List;

/**
 * The paths and tool runs a {@link SystemFacts} snapshot holds, shared by the collector in
 * {@code dev.layertrace.sys} and the checks. Network-namespace-scoped paths are keyed by their
 * {@code /proc/net} and {@code /proc/sys/net} names; the collector reads them from the namespace's
 * thread ({@code /proc/thread-self/net}).
 */
public final class FactPaths {
  private FactPaths() {}

  public static final String MOUNTINFO = "/proc/self/mountinfo";
  public static final String FILESYSTEMS = "/proc/filesystems";
  public static final String CGROUPS = "/proc/cgroups";
  public static final String CGROUP2_CONTROLLERS = "/sys/fs/cgroup/cgroup.controllers";
  public static final String MODULES = "/proc/modules";
  public static final String SYS_MODULE = "/sys/module";
  public static final String NAMESPACES = "/proc/self/ns";
  public static final String OSRELEASE = "/proc/sys/kernel/osrelease";
  public static final String STATUS = "/proc/self/status";
  public static final String TRACEFS = "/sys/kernel/tracing";
  public static final String TUN = "/dev/net/tun";
  public static final String KVM = "/dev/kvm";
  public static final String RESOLV_CONF = "/etc/resolv.conf";
  public static final String DOCKER_DAEMON_JSON = "/etc/docker/daemon.json";
  public static final String RUN = "/run";

  // Network-namespace scoped.
  public static final String NET_DIR = "/proc/net";
  public static final String NET_DEV = "/proc/net/dev";
  public static final String NET_ROUTE = "/proc/net/route";
  public static final String IP_TABLES_NAMES = "/proc/net/ip_tables_names";
  public static final String IP_FORWARD = "/proc/sys/net/ipv4/ip_forward";
  public static final String BRIDGE_SYSCTL_DIR = "/proc/sys/net/bridge";
  public static final String BRIDGE_NF_CALL_IPTABLES = "/proc/sys/net/bridge/bridge-nf-call-iptables";
  public static final String RP_FILTER_ALL = "/proc/sys/net/ipv4/conf/all/rp_filter";
  public static final String RP_FILTER_DEFAULT = "/proc/sys/net/ipv4/conf/default/rp_filter";
  public static final String CONNTRACK_COUNT = "/proc/sys/net/netfilter/nf_conntrack_count";
  public static final String CONNTRACK_MAX = "/proc/sys/net/netfilter/nf_conntrack_max";

  /** The Docker daemon sockets, in the order dockerd prefers. */
  public static final List<String> DOCKER_SOCKETS = List.of("/run/docker.sock", "/var/run/docker.sock");

  /** Files read from the process (host-wide or the process's mount namespace). */
  public static final List<String> HOST_FILES = List.of(MOUNTINFO, FILESYSTEMS, CGROUPS, CGROUP2_CONTROLLERS,
      MODULES, OSRELEASE, STATUS, RESOLV_CONF, DOCKER_DAEMON_JSON);

  /** Directories listed from the process. */
  public static final List<String> HOST_DIRS = List.of(SYS_MODULE, NAMESPACES, TRACEFS, RUN);

  /** Device nodes whose type is read. */
  public static final List<String> DEVICES = List.of(TUN, KVM);

  /** Files read inside the network namespace. */
  public static final List<String> NETNS_FILES = List.of(NET_DEV, NET_ROUTE, IP_TABLES_NAMES, IP_FORWARD,
      BRIDGE_NF_CALL_IPTABLES, RP_FILTER_ALL, RP_FILTER_DEFAULT, CONNTRACK_COUNT, CONNTRACK_MAX);

  /** Directories listed inside the network namespace. */
  public static final List<String> NETNS_DIRS = List.of(NET_DIR, BRIDGE_SYSCTL_DIR);

  /** Tool runs, by key. */
  public static final String CMD_IPTABLES_VERSION = "iptables --version";
  public static final String CMD_NFT_RULESET = "nft -j list ruleset";
  public static final String CMD_IPTABLES_NFT_SAVE = "iptables-nft-save";
  public static final String CMD_IPTABLES_LEGACY_SAVE = "iptables-legacy-save";
  public static final String CMD_IP_LINK = "ip -o link show";
}
