package dev.layertrace.discover;

import dev.layertrace.netlink.FlowQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link HostView} over raw bytes: decodes each namespace once and each route answer as asked. */
public final class DecodingHostView implements HostView {
  private final RawSource raw;
  private final Map<String, NamespaceSnapshot> snapshots = new HashMap<>();
  private List<TunHolder> holders;

  public DecodingHostView(RawSource raw) {
    this.raw = raw;
  }

  @Override
  public List<String> namespaceNames() {
    return raw.namespaceNames();
  }

  @Override
  public List<String> namespacesWithDevice(String ifname) {
    return raw.namespacesWithDevice(ifname);
  }

  @Override
  public List<String> namespacesWithInode(long inode) {
    return raw.namespacesWithInode(inode);
  }

  @Override
  public synchronized NamespaceSnapshot namespace(String name) {
    NamespaceSnapshot s = snapshots.get(name);
    if (s == null) {
      s = raw.namespace(name).decode();
      snapshots.put(name, s);
    }
    return s;
  }

  @Override
  public RouteAnswer routeFor(String netns, FlowQuery q) {
    return RawNamespace.decodeRoute(raw.routeFor(netns, q));
  }

  @Override
  public Optional<String> resolveNsid(String netns, int nsid) {
    return raw.resolveNsid(netns, nsid);
  }

  @Override
  public boolean seesVmm() {
    return raw.seesVmm();
  }

  @Override
  public synchronized List<TunHolder> tunHolders() {
    if (holders == null) {
      holders = raw.tunHolders();
    }
    return holders;
  }
}
