package dev.layertrace.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns rtnetlink bytes into messages and records. Static parse factories, no state: every malformed
 * input ends in {@link NetlinkParseException}, never another exception.
 */
public final class RtnetlinkParser {
  private RtnetlinkParser() {}

  /** Splits one received datagram (or several concatenated) into messages. */
  public static List<NetlinkMessage> split(byte[] buf, int off, int len) {
    if (off < 0 || len < 0 || off + len > buf.length) {
      throw new NetlinkParseException("buffer bounds " + off + "+" + len + " outside " + buf.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(buf, off, len).slice().order(ByteOrder.nativeOrder());
    List<NetlinkMessage> out = new ArrayList<>();
    while (b.remaining() > 0) {
      int start = b.position();
      if (b.remaining() < Rtnl.NLMSG_HDRLEN) {
        throw new NetlinkParseException(b.remaining() + " bytes left, too short for a netlink header");
      }
      int msgLen = b.getInt(start);
      if (msgLen < Rtnl.NLMSG_HDRLEN || msgLen > b.remaining()) {
        throw new NetlinkParseException("message length " + Integer.toUnsignedString(msgLen) + " at offset "
            + start + " with " + b.remaining() + " bytes left");
      }
      int type = Short.toUnsignedInt(b.getShort(start + 4));
      int flags = Short.toUnsignedInt(b.getShort(start + 6));
      int seq = b.getInt(start + 8);
      int pid = b.getInt(start + 12);
      ByteBuffer payload = b.slice(start + Rtnl.NLMSG_HDRLEN, msgLen - Rtnl.NLMSG_HDRLEN).order(b.order());
      out.add(new NetlinkMessage(type, flags, seq, pid, payload));
      b.position(Math.min(b.limit(), start + Attributes.align4(msgLen)));
    }
    return out;
  }

  /**
   * Whether the datagram {@code buf[off, off+len)} ends the answer to request {@code seq}: it holds, for
   * that sequence number, an NLMSG_DONE, an NLMSG_ERROR or a message outside a multipart answer. Reads
   * the headers only (a socket asks this of every datagram it receives); malformed datagrams are
   * refused as {@link #split} refuses them.
   */
  public static boolean endsReply(byte[] buf, int off, int len, int seq) {
    if (off < 0 || len < 0 || off + len > buf.length) {
      throw new NetlinkParseException("buffer bounds " + off + "+" + len + " outside " + buf.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    boolean done = false;
    int at = off;
    int end = off + len;
    while (at < end) {
      if (end - at < Rtnl.NLMSG_HDRLEN) {
        throw new NetlinkParseException((end - at) + " bytes left, too short for a netlink header");
      }
      int msgLen = b.getInt(at);
      if (msgLen < Rtnl.NLMSG_HDRLEN || msgLen > end - at) {
        throw new NetlinkParseException("message length " + Integer.toUnsignedString(msgLen) + " at offset "
            + (at - off) + " with " + (end - at) + " bytes left");
      }
      if (b.getInt(at + 8) == seq) {
        int type = Short.toUnsignedInt(b.getShort(at + 4));
        boolean multi = (Short.toUnsignedInt(b.getShort(at + 6)) & Rtnl.NLM_F_MULTI) != 0;
        done |= type == Rtnl.NLMSG_DONE || type == Rtnl.NLMSG_ERROR || !multi;
      }
      at = Math.min(end, at + Attributes.align4(msgLen));
    }
    return done;
  }

  /**
   * The errno of an NLMSG_ERROR message as a positive number; 0 is an acknowledgement.
   */
  public static int errno(NetlinkMessage m) {
    require(m, Rtnl.NLMSG_ERROR, 4);
    return -m.payload().getInt(0);
  }

  /** The request type an NLMSG_ERROR answers (from the echoed header), or 0 if not echoed. */
  public static int erroredRequestType(NetlinkMessage m) {
    return m.payload().limit() >= 4 + Rtnl.NLMSG_HDRLEN ? Short.toUnsignedInt(m.payload().getShort(8)) : 0;
  }

  /** Parses an RTM_NEWLINK message. */
  public static Link link(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWLINK, 16);
    int index = p.getInt(4);
    int flags = p.getInt(8);
    Attributes a = Attributes.parse(p.slice(16, p.limit() - 16).order(p.order()), "RTM_NEWLINK");
    String name = a.string(Rtnl.IFLA_IFNAME);
    if (name == null) {
      throw new NetlinkParseException("RTM_NEWLINK for ifindex " + index + " has no IFLA_IFNAME");
    }
    Integer mtu = a.u32(Rtnl.IFLA_MTU);
    Integer oper = a.u8(Rtnl.IFLA_OPERSTATE);
    Integer master = a.u32(Rtnl.IFLA_MASTER);
    Integer link = a.u32(Rtnl.IFLA_LINK);
    Integer netnsId = a.u32(Rtnl.IFLA_LINK_NETNSID);
    String kind = null;
    String slaveKind = null;
    Integer tunType = null;
    Attributes info = a.nested(Rtnl.IFLA_LINKINFO);
    if (info != null) {
      kind = info.string(Rtnl.IFLA_INFO_KIND);
      slaveKind = info.string(Rtnl.IFLA_INFO_SLAVE_KIND);
      if ("tun".equals(kind) && info.has(Rtnl.IFLA_INFO_DATA)) {
        tunType = info.nested(Rtnl.IFLA_INFO_DATA).u8(Rtnl.IFLA_TUN_TYPE);
      }
    }
    return new Link(index, name, kind, flags, mtu == null ? 0 : mtu, operState(oper == null ? 0 : oper),
        a.mac(Rtnl.IFLA_ADDRESS), master == null ? 0 : master, link == null || (link == index && netnsId == null) ? 0 : link,
        netnsId, tunType, slaveKind);
  }

  /** Parses an RTM_NEWADDR message. */
  public static Address address(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWADDR, 8);
    int family = Byte.toUnsignedInt(p.get(0));
    int prefix = Byte.toUnsignedInt(p.get(1));
    int scope = Byte.toUnsignedInt(p.get(3));
    int index = p.getInt(4);
    Attributes a = Attributes.parse(p.slice(8, p.limit() - 8).order(p.order()), "RTM_NEWADDR");
    String addr = a.ip(Rtnl.IFA_ADDRESS);
    String local = a.ip(Rtnl.IFA_LOCAL);
    String own = local != null ? local : addr;
    if (own == null) {
      throw new NetlinkParseException("RTM_NEWADDR for ifindex " + index + " has no address");
    }
    String peer = local != null && addr != null && !addr.equals(local) ? addr : null;
    return new Address(family, index, prefix, scope, own, peer, a.string(Rtnl.IFA_LABEL));
  }

  /** Parses an RTM_NEWROUTE message. */
  public static Route route(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWROUTE, 12);
    int family = Byte.toUnsignedInt(p.get(0));
    int dstLen = Byte.toUnsignedInt(p.get(1));
    int srcLen = Byte.toUnsignedInt(p.get(2));
    int table = Byte.toUnsignedInt(p.get(4));
    int protocol = Byte.toUnsignedInt(p.get(5));
    int scope = Byte.toUnsignedInt(p.get(6));
    int type = Byte.toUnsignedInt(p.get(7));
    int flags = p.getInt(8);
    Attributes a = Attributes.parse(p.slice(12, p.limit() - 12).order(p.order()), "RTM_NEWROUTE");
    Integer t = a.u32(Rtnl.RTA_TABLE);
    Integer oif = a.u32(Rtnl.RTA_OIF);
    Integer iif = a.u32(Rtnl.RTA_IIF);
    return new Route(family, a.ip(Rtnl.RTA_DST), dstLen, a.ip(Rtnl.RTA_SRC), srcLen, type,
        t == null ? table : t, protocol, scope, a.ip(Rtnl.RTA_GATEWAY), oif == null ? 0 : oif,
        iif == null ? 0 : iif, a.ip(Rtnl.RTA_PREFSRC), a.u32(Rtnl.RTA_PRIORITY), flags);
  }

  /** Parses an RTM_NEWRULE message. */
  public static Rule rule(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWRULE, 12);
    int family = Byte.toUnsignedInt(p.get(0));
    int dstLen = Byte.toUnsignedInt(p.get(1));
    int srcLen = Byte.toUnsignedInt(p.get(2));
    int table = Byte.toUnsignedInt(p.get(4));
    int action = Byte.toUnsignedInt(p.get(7));
    Attributes a = Attributes.parse(p.slice(12, p.limit() - 12).order(p.order()), "RTM_NEWRULE");
    Integer t = a.u32(Rtnl.FRA_TABLE);
    return new Rule(family, a.u32(Rtnl.FRA_PRIORITY), t == null ? table : t, action, a.ip(Rtnl.FRA_SRC), srcLen,
        a.ip(Rtnl.FRA_DST), dstLen, a.string(Rtnl.FRA_IIFNAME), a.string(Rtnl.FRA_OIFNAME),
        a.u32(Rtnl.FRA_FWMARK));
  }

  /** Parses an RTM_NEWNEIGH message. */
  public static Neighbour neighbour(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWNEIGH, 12);
    int family = Byte.toUnsignedInt(p.get(0));
    int index = p.getInt(4);
    int state = Short.toUnsignedInt(p.getShort(8));
    Attributes a = Attributes.parse(p.slice(12, p.limit() - 12).order(p.order()), "RTM_NEWNEIGH");
    return new Neighbour(family, index, a.ip(Rtnl.NDA_DST), a.mac(Rtnl.NDA_LLADDR), state);
  }

  /**
   * Parses an RTM_NEWNETCONF message: the device index (or {@link Rtnl#NETCONFA_IFINDEX_ALL} /
   * {@link Rtnl#NETCONFA_IFINDEX_DEFAULT}) with its forwarding and rp_filter, null when absent.
   */
  public static Netconf netconf(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWNETCONF, 1);
    int family = Byte.toUnsignedInt(p.get(0));
    int skip = Math.min(4, p.limit()); // attributes start after the family byte padded to 4
    Attributes a = Attributes.parse(p.slice(skip, p.limit() - skip).order(p.order()), "RTM_NEWNETCONF");
    Integer index = a.u32(Rtnl.NETCONFA_IFINDEX);
    if (index == null) {
      throw new NetlinkParseException("RTM_NEWNETCONF without NETCONFA_IFINDEX");
    }
    return new Netconf(family, index, a.u32(Rtnl.NETCONFA_FORWARDING), a.u32(Rtnl.NETCONFA_RP_FILTER));
  }

  /** The NETNSA_NSID of an RTM_NEWNSID answer: the id, or {@link Rtnl#NETNSA_NSID_NOT_ASSIGNED}. */
  public static int nsid(NetlinkMessage m) {
    ByteBuffer p = require(m, Rtnl.RTM_NEWNSID, 4);
    Attributes a = Attributes.parse(p.slice(4, p.limit() - 4).order(p.order()), "RTM_NEWNSID");
    Integer id = a.u32(Rtnl.NETNSA_NSID);
    if (id == null) {
      throw new NetlinkParseException("RTM_NEWNSID without NETNSA_NSID");
    }
    return id;
  }

  static String operState(int v) {
    return switch (v) {
      case 1 -> "notpresent";
      case 2 -> "down";
      case 3 -> "lowerlayerdown";
      case 4 -> "testing";
      case 5 -> "dormant";
      case 6 -> "up";
      default -> "unknown";
    };
  }

  private static ByteBuffer require(NetlinkMessage m, int type, int fixedLen) {
    if (m.type() != type) {
      throw new NetlinkParseException("expected " + Messages.typeName(type) + ", got " + Messages.typeName(m.type()));
    }
    ByteBuffer p = m.payload();
    if (p.limit() < fixedLen) {
      throw new NetlinkParseException(Messages.typeName(type) + " payload has " + p.limit() + " bytes, needs "
          + fixedLen);
    }
    return p;
  }
}
