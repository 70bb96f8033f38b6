package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.RawNamespace;
import dev.layertrace.discover.RawSource;
import dev.layertrace.discover.TunHolder;
import dev.layertrace.netlink.FlowQuery;
import dev.layertrace.netlink.RtnetlinkRequests;
import dev.layertrace.netlink.Rtnl;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live host as raw rtnetlink: for each namespace asked about, a namespace thread opens an
 * rtnetlink socket there and reads the sysctls, then goes away (the socket stays in the namespace).
 * Namespaces are read lazily, once. Close it to close the sockets.
 */
public final class LiveHost implements RawSource, AutoCloseable {
  private final NamespaceInventory inventory;
  private final dev.layertrace.discover.NamespaceScope scope;
  private final Map<String, RtnetlinkClient> clients = new HashMap<>(); // guarded by this
  private final Map<String, RawNamespace> read = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Map<Integer, Optional<String>>> nsids = new HashMap<>();

  public LiveHost(NamespaceInventory inventory) {
    this(inventory, dev.layertrace.discover.NamespaceScope.ALL);
  }

  /** A host restricted to {@code scope}: namespaces outside it are neither listed nor entered. */
  public LiveHost(NamespaceInventory inventory, dev.layertrace.discover.NamespaceScope scope) {
    this.scope = scope;
    this.inventory = scope.restrict(inventory);
  }

  /** Scans the host's namespaces (see {@link NamespaceScanner}). */
  public static LiveHost scan() {
    return new LiveHost(new NamespaceScanner().scan());
  }

  /** Scans the host's namespaces and keeps those in {@code scope}. */
  public static LiveHost scan(dev.layertrace.discover.NamespaceScope scope) {
    return new LiveHost(new NamespaceScanner().scan(), scope);
  }

  public dev.layertrace.discover.NamespaceScope scope() {
    return scope;
  }

  public NamespaceInventory inventory() {
    return inventory;
  }

  @Override
  public List<String> namespaceNames() {
    return inventory.names();
  }

  /**
   * Reads a namespace once (later calls return the same bytes). Safe to call from several threads:
   * reads of different namespaces run in parallel, which matters because entering a namespace is
   * mostly waiting on the kernel.
   */
  @Override
  public RawNamespace namespace(String name) {
    RawNamespace r = read.get(name);
    if (r != null) {
      return r;
    }
    NamespaceInventory.Entry e = entry(name);
    Read fresh;
    try (NetnsExecutor ex = NetnsExecutor.enter(Netns.ofPath(Path.of(e.path())))) {
      fresh = ex.call(() -> readHere(e));
    }
    return keep(fresh);
  }

  /**
   * Reads every namespace not read yet, on {@code threads} {@link NamespaceWalker} threads that move
   * from namespace to namespace (cheaper than a thread per namespace). A namespace gone since the scan
   * is left out.
   */
  public void readAll(int threads) {
    List<NamespaceInventory.Entry> todo = inventory.entries().stream()
        .filter(e -> !read.containsKey(e.name())).toList();
    for (Read r : NamespaceWalker.walk(todo, e -> Netns.ofPath(Path.of(e.path())), threads, LiveHost::readHere)) {
      if (r != null) {
        keep(r);
      }
    }
  }

  /** A namespace read: its raw dumps and the socket that stays there. */
  private record Read(RawNamespace raw, RtnetlinkClient client) {}

  /** Reads the namespace the calling thread is in (which must be {@code e}'s). */
  private static Read readHere(NamespaceInventory.Entry e) {
    RtnetlinkClient c = RtnetlinkClient.openHere(e.name());
    try {
      byte[] links = dump(c, RtnetlinkRequests::dumpLinks);
      // rp_filter only for devices that can be an input: not the ports of a bridge (a bridge of a
      // thousand containers would cost a thousand reads), which the kernel never routes from.
      Map<Integer, String> inputs = new HashMap<>();
      dev.layertrace.netlink.ReplyCollector.ofRecorded(links, Rtnl.RTM_GETLINK).stream()
          .map(dev.layertrace.netlink.RtnetlinkParser::link).filter(l -> l.master() == 0 && !l.loopback())
          .forEach(l -> inputs.put(l.index(), l.name()));
      Map<String, String> sysctls = NamespaceSysctls.readHere(c, inputs);
      return new Read(new RawNamespace(e.name(), e.inode(), links,
          dump(c, s -> RtnetlinkRequests.dumpAddresses(s, Rtnl.AF_UNSPEC)),
          dump(c, s -> RtnetlinkRequests.dumpRoutes(s, Rtnl.AF_INET)),
          dump(c, s -> RtnetlinkRequests.dumpRules(s, Rtnl.AF_INET)),
          dump(c, s -> RtnetlinkRequests.dumpNeighbours(s, Rtnl.AF_INET)),
          sysctls), c);
    } catch (RuntimeException ex) {
      c.close();
      throw ex;
    }
  }

  /** Keeps the first read of a namespace (and its socket); a later duplicate is dropped. */
  private RawNamespace keep(Read fresh) {
    synchronized (this) {
      RawNamespace first = read.putIfAbsent(fresh.raw().name(), fresh.raw());
      if (first != null) {
        fresh.client().close(); // another thread read it meanwhile
        return first;
      }
      clients.put(fresh.raw().name(), fresh.client());
      return fresh.raw();
    }
  }

  /** The namespace of that inventory name, to enter it for other reads (rulesets, conntrack). */
  public Netns netns(String name) {
    return Netns.ofPath(Path.of(entry(name).path()));
  }

  /** The netfilter model of a namespace of this host, read through {@link NetfilterReader}. */
  public dev.layertrace.netfilter.NetfilterModel rulesets(String name) {
    return NetfilterReader.read(netns(name));
  }

  @Override
  public byte[] routeFor(String netns, FlowQuery q) {
    RtnetlinkClient c = client(netns);
    int s = c.nextSeq();
    return c.exchange(RtnetlinkRequests.routeFor(s, q), s);
  }

  /**
   * Asks {@code netns} for the id it gives each known namespace (RTM_GETNSID with NETNSA_FD) until one
   * matches {@code nsid}; answers are cached.
   */
  @Override
  public synchronized Optional<String> resolveNsid(String netns, int nsid) {
    Map<Integer, Optional<String>> known = nsids.computeIfAbsent(netns, k -> new HashMap<>());
    Optional<String> hit = known.get(nsid);
    if (hit != null) {
      return hit;
    }
    RtnetlinkClient c = client(netns);
    for (NamespaceInventory.Entry e : inventory.entries()) {
      if (e.name().equals(netns) || known.containsValue(Optional.of(e.name()))) {
        continue;
      }
      int id = nsidOf(c, e.path());
      if (id >= 0) {
        known.put(id, Optional.of(e.name()));
        if (id == nsid) {
          return known.get(id);
        }
      }
    }
    known.put(nsid, Optional.empty());
    return Optional.empty();
  }

  /** The id {@code netns} gives namespace {@code other} (both known names), or -1 if none is assigned. */
  public int nsidOf(String netns, String other) {
    return nsidOf(client(netns), entry(other).path());
  }

  /** The id the client's namespace gives the namespace at {@code path}, or -1 (none, or unreadable). */
  static int nsidOf(RtnetlinkClient c, String path) {
    int fd = Native.LIBC.open(path, LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC);
    if (fd < 0) {
      return -1;
    }
    try {
      int s = c.nextSeq();
      return RawNamespace.decodeNsid(c.exchange(RtnetlinkRequests.nsidOfFd(s, fd), s));
    } catch (LayertraceException e) {
      return -1;
    } finally {
      Native.closeQuietly(fd);
    }
  }

  @Override
  public List<TunHolder> tunHolders() {
    return scope.seesVmm() ? new TunOwnerScanner().scan() : List.of();
  }

  @Override
  public boolean seesVmm() {
    return scope.seesVmm();
  }

  private RtnetlinkClient client(String netns) {
    namespace(netns);
    synchronized (this) {
      return clients.get(netns);
    }
  }

  private NamespaceInventory.Entry entry(String name) {
    scope.require(name);
    return inventory.byName(name).orElseThrow(() ->
        LayertraceException.usage("no network namespace '" + name + "' (see ip netns list)"));
  }

  private static byte[] dump(RtnetlinkClient c, java.util.function.IntFunction<byte[]> request) {
    int s = c.nextSeq();
    return c.exchange(request.apply(s), s);
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(RtnetlinkClient::close);
    clients.clear();
  }
}
