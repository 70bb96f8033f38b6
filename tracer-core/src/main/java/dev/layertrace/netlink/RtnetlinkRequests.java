package dev.layertrace.netlink;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encodes the rtnetlink requests discovery sends. Each returns a complete netlink message. */
public final class RtnetlinkRequests {
  private RtnetlinkRequests() {}

  /** RTM_GETLINK dump of every device. */
  public static byte[] dumpLinks(int seq) {
    return message(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq, new byte[16], new byte[0]);
  }

  /** RTM_GETADDR dump of one family (AF_UNSPEC for all). */
  public static byte[] dumpAddresses(int seq, int family) {
    byte[] ifa = new byte[8];
    ifa[0] = (byte) family;
    return message(Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq, ifa, new byte[0]);
  }

  /** RTM_GETROUTE dump of every table (rtm_table RT_TABLE_UNSPEC selects all of them). */
  public static byte[] dumpRoutes(int seq, int family) {
    byte[] rtm = new byte[12];
    rtm[0] = (byte) family;
    rtm[4] = (byte) Rtnl.RT_TABLE_UNSPEC;
    return message(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq, rtm, new byte[0]);
  }

  /** RTM_GETRULE dump of the policy routing rules of one family. */
  public static byte[] dumpRules(int seq, int family) {
    byte[] frh = new byte[12];
    frh[0] = (byte) family;
    return message(Rtnl.RTM_GETRULE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq, frh, new byte[0]);
  }

  /** RTM_GETNETCONF dump of one family: forwarding and rp_filter of all, default and every device. */
  public static byte[] dumpNetconf(int seq, int family) {
    byte[] ncm = new byte[4]; // struct netconfmsg, padded to the 4-byte alignment the kernel expects
    ncm[0] = (byte) family;
    return message(Rtnl.RTM_GETNETCONF, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq, ncm, new byte[0]);
  }

  /** RTM_GETNEIGH dump of the neighbour table of one family. */
  public static byte[] dumpNeighbours(int seq, int family) {
    byte[] nd = new byte[12];
    nd[0] = (byte) family;
    return message(Rtnl.RTM_GETNEIGH, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq, nd, new byte[0]);
  }

  /**
   * RTM_GETNSID for the namespace behind an open file descriptor: the answer is the id the asking
   * namespace uses for it (what its links carry in IFLA_LINK_NETNSID).
   */
  public static byte[] nsidOfFd(int seq, int fd) {
    Attrs a = new Attrs();
    a.u32(Rtnl.NETNSA_FD, fd);
    return message(Rtnl.RTM_GETNSID, Rtnl.NLM_F_REQUEST, seq, new byte[4], a.bytes());
  }

  /** RTM_GETROUTE for one flow: the kernel's own routing decision, from the FIB actually in use. */
  public static byte[] routeFor(int seq, FlowQuery q) {
    byte[] dst = addressBytes(q.dst());
    int family = dst.length == 4 ? Rtnl.AF_INET : Rtnl.AF_INET6;
    Attrs a = new Attrs();
    a.bytes(Rtnl.RTA_DST, dst);
    byte[] rtm = new byte[12];
    rtm[0] = (byte) family;
    rtm[1] = (byte) (dst.length * 8);
    if (q.src() != null) {
      byte[] src = addressBytes(q.src());
      if (src.length != dst.length) {
        throw new IllegalArgumentException("source " + q.src() + " and destination " + q.dst() + " differ in family");
      }
      a.bytes(Rtnl.RTA_SRC, src);
      rtm[2] = (byte) (src.length * 8);
    }
    if (q.iif() != 0) {
      a.u32(Rtnl.RTA_IIF, q.iif());
    }
    if (q.ipProto() != 0) {
      a.bytes(Rtnl.RTA_IP_PROTO, new byte[] {(byte) q.ipProto()});
    }
    if (q.dport() != 0) {
      a.bytes(Rtnl.RTA_DPORT, new byte[] {(byte) (q.dport() >> 8), (byte) q.dport()});
    }
    return message(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_REQUEST, seq, rtm, a.bytes());
  }

  /** An IP literal as bytes; never resolves names. */
  static byte[] addressBytes(String literal) {
    if (literal == null || literal.isEmpty() || !(literal.indexOf(':') >= 0 || literal.matches("[0-9.]+"))) {
      throw new IllegalArgumentException("not an IP address: '" + literal + "'");
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + literal + "'");
    }
  }

  private static byte[] message(int type, int flags, int seq, byte[] fixed, byte[] attrs) {
    int len = Rtnl.NLMSG_HDRLEN + fixed.length + attrs.length;
    ByteBuffer b = ByteBuffer.allocate(Attributes.align4(len)).order(ByteOrder.nativeOrder());
    b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
    b.put(fixed).put(attrs);
    return b.array();
  }

  /** Builds an rtattr list. */
  private static final class Attrs {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void u32(int type, int value) {
      bytes(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    void bytes(int type, byte[] value) {
      int len = 4 + value.length;
      ByteBuffer h = ByteBuffer.allocate(Attributes.align4(len)).order(ByteOrder.nativeOrder());
      h.putShort((short) len).putShort((short) type).put(value);
      out.writeBytes(h.array());
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
