package dev.layertrace.netlink;

/** Names of netlink message types for error messages. */
final class Messages {
  private Messages() {}

  static String typeName(int type) {
    return switch (type) {
      case Rtnl.NLMSG_ERROR -> "NLMSG_ERROR";
      case Rtnl.NLMSG_DONE -> "NLMSG_DONE";
      case Rtnl.RTM_NEWLINK -> "RTM_NEWLINK";
      case Rtnl.RTM_GETLINK -> "RTM_GETLINK";
      case Rtnl.RTM_NEWADDR -> "RTM_NEWADDR";
      case Rtnl.RTM_GETADDR -> "RTM_GETADDR";
      case Rtnl.RTM_NEWROUTE -> "RTM_NEWROUTE";
      case Rtnl.RTM_GETROUTE -> "RTM_GETROUTE";
      case Rtnl.RTM_NEWNEIGH -> "RTM_NEWNEIGH";
      case Rtnl.RTM_GETNEIGH -> "RTM_GETNEIGH";
      case Rtnl.RTM_NEWRULE -> "RTM_NEWRULE";
      case Rtnl.RTM_GETRULE -> "RTM_GETRULE";
      case Rtnl.RTM_NEWNSID -> "RTM_NEWNSID";
      case Rtnl.RTM_GETNSID -> "RTM_GETNSID";
      case Rtnl.RTM_NEWNETCONF -> "RTM_NEWNETCONF";
      case Rtnl.RTM_GETNETCONF -> "RTM_GETNETCONF";
      default -> "type " + type;
    };
  }
}
