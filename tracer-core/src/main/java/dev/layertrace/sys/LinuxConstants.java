package dev.layertrace.sys;

/**
 * Numbers from the Linux UAPI headers (x86_64 values) that callers of {@link LinuxSocket},
 * {@link TunDevice} and {@link Poll} need. Ports and addresses in sockaddrs are built by
 * {@link Sockaddrs}; these are host-order constants.
 */
public final class LinuxConstants {
  private LinuxConstants() {}

  // address families
  public static final int AF_UNSPEC = 0;
  public static final int AF_UNIX = 1;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int AF_NETLINK = 16;
  public static final int AF_PACKET = 17;

  // socket types and type flags
  public static final int SOCK_STREAM = 1;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_NONBLOCK = 0x800;
  public static final int SOCK_CLOEXEC = 0x80000;

  // netlink protocols and options
  public static final int NETLINK_ROUTE = 0;
  public static final int NETLINK_SOCK_DIAG = 4;
  public static final int NETLINK_NETFILTER = 12;
  public static final int SOL_NETLINK = 270;
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  public static final int NETLINK_DROP_MEMBERSHIP = 2;
  public static final int NETLINK_CAP_ACK = 10;
  public static final int NETLINK_EXT_ACK = 11;
  public static final int NETLINK_GET_STRICT_CHK = 12;

  // ethertypes (host order; Sockaddrs.packet converts to network order)
  public static final int ETH_P_ALL = 0x0003;
  public static final int ETH_P_IP = 0x0800;
  public static final int ETH_P_ARP = 0x0806;
  public static final int ETH_P_IPV6 = 0x86DD;

  // IP protocols
  public static final int IPPROTO_IP = 0;
  public static final int IPPROTO_ICMP = 1;
  public static final int IPPROTO_TCP = 6;
  public static final int IPPROTO_UDP = 17;
  public static final int IPPROTO_ICMPV6 = 58;
  public static final int IPPROTO_RAW = 255;

  // socket option levels
  public static final int SOL_SOCKET = 1;
  public static final int SOL_IP = 0;
  public static final int SOL_PACKET = 263;

  // SOL_SOCKET options
  public static final int SO_REUSEADDR = 2;
  public static final int SO_TYPE = 3;
  public static final int SO_ERROR = 4;
  public static final int SO_BROADCAST = 6;
  public static final int SO_SNDBUF = 7;
  public static final int SO_RCVBUF = 8;
  public static final int SO_BINDTODEVICE = 25;
  public static final int SO_ATTACH_FILTER = 26;
  public static final int SO_DETACH_FILTER = 27;
  public static final int SO_TIMESTAMP = 29;
  public static final int SO_SNDBUFFORCE = 32;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int SO_MARK = 36;

  // SOL_IP options
  public static final int IP_TOS = 1;
  public static final int IP_TTL = 2;
  public static final int IP_HDRINCL = 3;
  public static final int IP_MTU_DISCOVER = 10;
  public static final int IP_RECVERR = 11;
  public static final int IP_PMTUDISC_DONT = 0;
  public static final int IP_PMTUDISC_DO = 2;

  // SOL_PACKET options
  public static final int PACKET_ADD_MEMBERSHIP = 1;
  public static final int PACKET_MR_PROMISC = 1;
  public static final int PACKET_AUXDATA = 8;
  public static final int PACKET_IGNORE_OUTGOING = 23;

  // sockaddr_ll packet types
  public static final int PACKET_HOST = 0;
  public static final int PACKET_BROADCAST = 1;
  public static final int PACKET_MULTICAST = 2;
  public static final int PACKET_OTHERHOST = 3;
  public static final int PACKET_OUTGOING = 4;

  // send/recv flags
  public static final int MSG_PEEK = 0x2;
  public static final int MSG_TRUNC = 0x20;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int MSG_ERRQUEUE = 0x2000;

  // poll events
  public static final short POLLIN = 0x1;
  public static final short POLLPRI = 0x2;
  public static final short POLLOUT = 0x4;
  public static final short POLLERR = 0x8;
  public static final short POLLHUP = 0x10;
  public static final short POLLNVAL = 0x20;

  // open(2) and fcntl(2)
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int F_GETFL = 3;
  public static final int F_SETFL = 4;

  // setns(2)
  public static final int CLONE_NEWNET = 0x40000000;

  // tun/tap (linux/if_tun.h)
  public static final long TUNSETIFF = 0x400454caL;
  public static final long TUNSETPERSIST = 0x400454cbL;
  public static final long TUNGETIFF = 0x800454d2L;
  public static final short IFF_TUN = 0x0001;
  public static final short IFF_TAP = 0x0002;
  public static final short IFF_MULTI_QUEUE = 0x0100;
  public static final short IFF_NO_PI = 0x1000;
  public static final short IFF_VNET_HDR = 0x4000;
  /** _IOW('T', 208, unsigned int): the offloads the reader accepts, passed by value. */
  public static final long TUNSETOFFLOAD = 0x400454d0L;
  /** _IOW('T', 216, int): the virtio_net_hdr size, passed by pointer. */
  public static final long TUNSETVNETHDRSZ = 0x400454d8L;
  public static final int TUN_F_CSUM = 0x01;
  public static final int TUN_F_TSO4 = 0x02;
  public static final int TUN_F_TSO6 = 0x04;
  public static final int TUN_F_TSO_ECN = 0x08;
  public static final int TUN_F_UFO = 0x10;
  /** sizeof(struct virtio_net_hdr) without the mergeable-buffers field. */
  public static final int VIRTIO_NET_HDR_SIZE = 10;

  // interfaces (linux/if.h, linux/sockios.h)
  public static final int IFNAMSIZ = 16;
  /** sizeof(struct ifreq) on x86_64. */
  public static final int IFREQ_SIZE = 40;
  public static final int IFF_UP = 0x1;
  public static final long SIOCGIFFLAGS = 0x8913L;
  public static final long SIOCSIFFLAGS = 0x8914L;
  public static final long SIOCGIFMTU = 0x8921L;
  public static final long SIOCGIFHWADDR = 0x8927L;
  public static final long SIOCGIFINDEX = 0x8933L;

  // ICMP types
  public static final int ICMP_ECHOREPLY = 0;
  public static final int ICMP_DEST_UNREACH = 3;
  public static final int ICMP_ECHO = 8;
  public static final int ICMP_TIME_EXCEEDED = 11;

  // classic BPF (linux/filter.h) opcodes for attachFilter programs
  public static final short BPF_LD = 0x00;
  public static final short BPF_LDX = 0x01;
  public static final short BPF_JMP = 0x05;
  public static final short BPF_RET = 0x06;
  public static final short BPF_W = 0x00;
  public static final short BPF_H = 0x08;
  public static final short BPF_B = 0x10;
  public static final short BPF_ABS = 0x20;
  public static final short BPF_IND = 0x40;
  public static final short BPF_MSH = 0xa0;
  public static final short BPF_JEQ = 0x10;
  public static final short BPF_JSET = 0x40;
  public static final short BPF_K = 0x00;
}
