package dev.layertrace.netlink;

import java.util.Objects;

/**
 * One packet's flow, to ask a namespace's kernel which route it takes (RTM_GETROUTE without
 * NLM_F_DUMP). With {@code iif} set the kernel answers as for a packet arriving on that interface
 * (forwarding, reverse-path check included); without it, as for a locally sent packet.
 *
 * @param dst destination IPv4 or IPv6 address (literal)
 * @param src source address, or null
 * @param iif input ifindex, or 0 for a locally originated packet
 * @param ipProto IP protocol number (1 icmp, 6 tcp, 17 udp), or 0 to leave out
 * @param dport destination port, or 0 to leave out
 */
public record FlowQuery(String dst, String src, int iif, int ipProto, int dport) {
  public FlowQuery {
    Objects.requireNonNull(dst, "dst");
  }

  public static FlowQuery output(String dst, String src) {
    return new FlowQuery(dst, src, 0, 0, 0);
  }

  public FlowQuery withIif(int index) {
    return new FlowQuery(dst, src, index, ipProto, dport);
  }

  public FlowQuery withSrc(String source) {
    return new FlowQuery(dst, source, iif, ipProto, dport);
  }

  public FlowQuery withProtocol(int proto, int port) {
    return new FlowQuery(dst, src, iif, proto, port);
  }
}
