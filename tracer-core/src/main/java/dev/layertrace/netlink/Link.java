package dev.layertrace.netlink;

/**
 * One network device as RTM_NEWLINK describes it.
 *
 * @param index ifindex, unique within its namespace
 * @param kind IFLA_INFO_KIND ({@code veth}, {@code bridge}, {@code tun}), null for a plain device
 * @param flags IFF_* flags from ifinfomsg
 * @param operState RFC 2863 word: {@code up}, {@code down}, {@code lowerlayerdown}, {@code unknown}, …
 * @param mac hardware address {@code aa:bb:…}, null if none
 * @param master ifindex of the bridge (or bond) this is a port of, 0 if none
 * @param link IFLA_LINK: for a veth, the peer's ifindex (in the peer's namespace); 0 if none
 * @param linkNetnsId IFLA_LINK_NETNSID: the peer's namespace id as this namespace numbers it, or null
 * @param tunType {@link Rtnl#TUN_TYPE_TAP} or {@link Rtnl#TUN_TYPE_TUN} for tun devices, else null
 * @param slaveKind IFLA_INFO_SLAVE_KIND, e.g. {@code bridge} for a bridge port
 */
public record Link(
    int index,
    String name,
    String kind,
    int flags,
    int mtu,
    String operState,
    String mac,
    int master,
    int link,
    Integer linkNetnsId,
    Integer tunType,
    String slaveKind) {

  /** The interface is administratively up ({@code ip link set … up}). */
  public boolean adminUp() {
    return (flags & Rtnl.IFF_UP) != 0;
  }

  public boolean loopback() {
    return (flags & Rtnl.IFF_LOOPBACK) != 0;
  }

  public boolean isVeth() {
    return "veth".equals(kind);
  }

  public boolean isBridge() {
    return "bridge".equals(kind);
  }

  /** A tun/tap device in tap (ethernet) mode; a tun device without IFLA_TUN_TYPE is taken as tap. */
  public boolean isTap() {
    return "tun".equals(kind) && (tunType == null || tunType == Rtnl.TUN_TYPE_TAP);
  }

  /** The kind as a driver word for display: the link kind or {@code device}. */
  public String driver() {
    return kind == null ? (loopback() ? "loopback" : "device") : kind;
  }
}
