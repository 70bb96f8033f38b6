package dev.layertrace.discover;

import dev.layertrace.netlink.NetlinkErrorException;
import dev.layertrace.netlink.ReplyCollector;
import dev.layertrace.netlink.Rtnl;
import dev.layertrace.netlink.RtnetlinkParser;
import java.util.Map;

/**
 * A namespace as read off the wire: the raw rtnetlink dump replies (every datagram, NLMSG_DONE
 * included) and the sysctls. What the live reader produces and what recordings store; {@link #decode}
 * turns it into a {@link NamespaceSnapshot}.
 */
public record RawNamespace(String name, long inode, byte[] links, byte[] addresses, byte[] routes, byte[] rules,
    byte[] neighbours, Map<String, String> sysctls) {

  public RawNamespace {
    sysctls = Map.copyOf(sysctls);
  }

  public NamespaceSnapshot decode() {
    return new NamespaceSnapshot(name, inode,
        ReplyCollector.ofRecorded(links, Rtnl.RTM_GETLINK).stream().map(RtnetlinkParser::link).toList(),
        ReplyCollector.ofRecorded(addresses, Rtnl.RTM_GETADDR).stream().map(RtnetlinkParser::address).toList(),
        ReplyCollector.ofRecorded(routes, Rtnl.RTM_GETROUTE).stream().map(RtnetlinkParser::route).toList(),
        ReplyCollector.ofRecorded(rules, Rtnl.RTM_GETRULE).stream().map(RtnetlinkParser::rule).toList(),
        ReplyCollector.ofRecorded(neighbours, Rtnl.RTM_GETNEIGH).stream().map(RtnetlinkParser::neighbour).toList(),
        sysctls);
  }

  /** Decodes the raw reply to a single-flow RTM_GETROUTE: the route, or the errno it was refused with. */
  public static RouteAnswer decodeRoute(byte[] reply) {
    try {
      var ms = ReplyCollector.ofRecorded(reply, Rtnl.RTM_GETROUTE);
      if (ms.isEmpty()) {
        return RouteAnswer.failed(0, "no answer");
      }
      return RouteAnswer.of(RtnetlinkParser.route(ms.get(0)));
    } catch (NetlinkErrorException e) {
      return RouteAnswer.failed(e.errno(), e.errnoName());
    }
  }

  /** Decodes the raw reply to RTM_GETNSID: the id, or {@link Rtnl#NETNSA_NSID_NOT_ASSIGNED}. */
  public static int decodeNsid(byte[] reply) {
    var ms = ReplyCollector.ofRecorded(reply, Rtnl.RTM_GETNSID);
    return ms.isEmpty() ? Rtnl.NETNSA_NSID_NOT_ASSIGNED : RtnetlinkParser.nsid(ms.get(0));
  }
}
