package dev.layertrace.discover;

import dev.layertrace.netlink.FlowQuery;
import java.util.List;
import java.util.Optional;

/**
 * A host as raw rtnetlink bytes: the live reader in {@code dev.layertrace.sys}, or a
 * {@link HostRecording} replayed. {@link DecodingHostView} decodes it for path resolution.
 */
public interface RawSource {
  List<String> namespaceNames();

  /** The namespace's dumps and sysctls; a usage error (exit 2) for an unknown name. */
  RawNamespace namespace(String name);

  /** The raw reply to a single-flow RTM_GETROUTE asked in {@code netns} (an NLMSG_ERROR included). */
  byte[] routeFor(String netns, FlowQuery q);

  /** The known namespace that {@code netns} numbers {@code nsid}, if any. */
  Optional<String> resolveNsid(String netns, int nsid);

  List<TunHolder> tunHolders();

  /**
   * The known namespaces that may have a device named {@code ifname}, in {@link #namespaceNames}'s
   * order: all of them unless the source can rule some out cheaply. A superset: callers still look
   * the device up in the namespace's snapshot.
   */
  default List<String> namespacesWithDevice(String ifname) {
    return namespaceNames();
  }

  /**
   * The known namespaces that may be the one with nsfs inode {@code inode} (as TUNGETDEVNETNS names a
   * tap's), in {@link #namespaceNames}'s order: all of them unless the source knows its inodes without
   * reading the namespaces. A superset: callers still compare the snapshot's inode.
   */
  default List<String> namespacesWithInode(long inode) {
    return namespaceNames();
  }

  /**
   * False for a guest's half of a path: the VMM is on the other side of the boundary, so a tap here
   * that nobody seems to hold leads into the other kernel rather than nowhere.
   */
  default boolean seesVmm() {
    return true;
  }
}
