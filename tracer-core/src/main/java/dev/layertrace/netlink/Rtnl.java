package dev.layertrace.netlink;

/** Numbers from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/neighbour.h, fib_rules.h. */
public final class Rtnl {
  private Rtnl() {}

  public static final int NLMSG_HDRLEN = 16;
  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLMSG_OVERRUN = 4;

  public static final int NLM_F_REQUEST = 0x1;
  public static final int NLM_F_MULTI = 0x2;
  public static final int NLM_F_ACK = 0x4;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_DUMP = 0x300;

  public static final int RTM_NEWLINK = 16;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWNEIGH = 28;
  public static final int RTM_GETNEIGH = 30;
  public static final int RTM_NEWRULE = 32;
  public static final int RTM_GETRULE = 34;
  public static final int RTM_NEWNSID = 88;
  public static final int RTM_GETNSID = 90;
  public static final int RTM_NEWNETCONF = 80;
  public static final int RTM_GETNETCONF = 82;

  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  public static final int NLA_F_NESTED = 0x8000;
  public static final int NLA_TYPE_MASK = 0x3fff;

  // ifinfomsg attributes
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_LINK_NETNSID = 37;
  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;
  public static final int IFLA_INFO_SLAVE_KIND = 4;
  public static final int IFLA_TUN_TYPE = 3;
  public static final int IFF_UP = 0x1;
  public static final int IFF_LOOPBACK = 0x8;
  /** IFLA_TUN_TYPE values (IFF_TUN / IFF_TAP). */
  public static final int TUN_TYPE_TUN = 1;
  public static final int TUN_TYPE_TAP = 2;

  // ifaddrmsg attributes
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;

  // rtmsg attributes and values
  public static final int RTA_DST = 1;
  public static final int RTA_SRC = 2;
  public static final int RTA_IIF = 3;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_PREFSRC = 7;
  public static final int RTA_TABLE = 15;
  public static final int RTA_MARK = 16;
  public static final int RTA_IP_PROTO = 27;
  public static final int RTA_SPORT = 28;
  public static final int RTA_DPORT = 29;
  public static final int RTM_F_LOOKUP_TABLE = 0x1000;
  public static final int RTNH_F_ONLINK = 0x4;
  public static final int RT_TABLE_UNSPEC = 0;
  public static final int RT_TABLE_MAIN = 254;

  // fib_rule_hdr attributes
  public static final int FRA_DST = 1;
  public static final int FRA_SRC = 2;
  public static final int FRA_IIFNAME = 3;
  public static final int FRA_PRIORITY = 6;
  public static final int FRA_FWMARK = 10;
  public static final int FRA_TABLE = 15;
  public static final int FRA_OIFNAME = 17;

  // ndmsg attributes
  public static final int NDA_DST = 1;
  public static final int NDA_LLADDR = 2;

  // RTM_*NSID attributes
  public static final int NETNSA_NSID = 1;
  public static final int NETNSA_PID = 2;
  public static final int NETNSA_FD = 3;
  /** The kernel's answer when no id is assigned to the asked namespace. */
  public static final int NETNSA_NSID_NOT_ASSIGNED = -1;

  // RTM_*NETCONF attributes (struct netconfmsg is one family byte)
  public static final int NETCONFA_IFINDEX = 1;
  public static final int NETCONFA_FORWARDING = 2;
  public static final int NETCONFA_RP_FILTER = 3;
  /** NETCONFA_IFINDEX of the {@code all} settings. */
  public static final int NETCONFA_IFINDEX_ALL = -1;
  /** NETCONFA_IFINDEX of the {@code default} settings. */
  public static final int NETCONFA_IFINDEX_DEFAULT = -2;
}
