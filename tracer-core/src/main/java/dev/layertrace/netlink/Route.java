package dev.layertrace.netlink;

/**
 * One route (RTM_NEWROUTE): from a dump, or the kernel's answer to a single-flow RTM_GETROUTE.
 *
 * @param dst destination prefix address, null for the default route
 * @param type RTN_* (1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable, 8 prohibit)
 * @param table the routing table (RTA_TABLE, else rtm_table)
 * @param oif output ifindex, 0 if none
 * @param iif input ifindex (only in answers to a query with RTA_IIF), 0 if none
 * @param flags rtm_flags, e.g. {@link Rtnl#RTNH_F_ONLINK}
 */
public record Route(
    int family,
    String dst,
    int dstLength,
    String src,
    int srcLength,
    int type,
    int table,
    int protocol,
    int scope,
    String gateway,
    int oif,
    int iif,
    String prefSrc,
    Integer priority,
    int flags) {

  public static final int RTN_UNICAST = 1;
  public static final int RTN_LOCAL = 2;
  public static final int RTN_BROADCAST = 3;
  public static final int RTN_BLACKHOLE = 6;
  public static final int RTN_UNREACHABLE = 7;
  public static final int RTN_PROHIBIT = 8;

  public boolean isDefault() {
    return dst == null && dstLength == 0;
  }

  public boolean isLocal() {
    return type == RTN_LOCAL;
  }

  public boolean onLink() {
    return (flags & Rtnl.RTNH_F_ONLINK) != 0;
  }

  /** {@code default via 172.16.0.1} or {@code 172.17.0.0/16}, without the device. */
  public String prefix() {
    return dst == null ? (dstLength == 0 ? "default" : "?/" + dstLength) : dst + "/" + dstLength;
  }

  /** The type as {@code ip route} writes it. */
  public String typeWord() {
    return switch (type) {
      case RTN_UNICAST -> "unicast";
      case RTN_LOCAL -> "local";
      case RTN_BROADCAST -> "broadcast";
      case 4 -> "anycast";
      case 5 -> "multicast";
      case RTN_BLACKHOLE -> "blackhole";
      case RTN_UNREACHABLE -> "unreachable";
      case RTN_PROHIBIT -> "prohibit";
      case 9 -> "throw";
      default -> "type" + type;
    };
  }
}
