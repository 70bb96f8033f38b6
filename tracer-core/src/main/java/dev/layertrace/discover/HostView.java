package dev.layertrace.discover;

import dev.layertrace.netlink.FlowQuery;
import java.util.List;
import java.util.Optional;

/**
 * What path resolution may ask of a host. Implemented live in {@code dev.layertrace.sys} (netlink
 * sockets opened inside each namespace, /proc readers) and by a replay of a recorded host for tests.
 */
public interface HostView {
  /** Every known namespace's display name (named netns, Docker's, and process namespaces). */
  List<String> namespaceNames();

  /** A namespace's snapshot; a usage error when the name is unknown. */
  NamespaceSnapshot namespace(String name);

  /** The kernel's routing decision for {@code q} in namespace {@code netns}. */
  RouteAnswer routeFor(String netns, FlowQuery q);

  /**
   * Which known namespace {@code netns} calls {@code nsid} (the IFLA_LINK_NETNSID of its veth peers),
   * if one of the known namespaces matches.
   */
  Optional<String> resolveNsid(String netns, int nsid);

  /** Processes holding tun/tap descriptors. */
  List<TunHolder> tunHolders();

  /** See {@link RawSource#namespacesWithDevice}: a superset of the namespaces with that device. */
  default List<String> namespacesWithDevice(String ifname) {
    return namespaceNames();
  }

  /** See {@link RawSource#namespacesWithInode}: a superset of the namespaces with that inode. */
  default List<String> namespacesWithInode(long inode) {
    return namespaceNames();
  }

  /** See {@link RawSource#seesVmm()}. */
  default boolean seesVmm() {
    return true;
  }
}
