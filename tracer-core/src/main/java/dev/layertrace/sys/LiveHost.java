package dev.layertrace.sys;

import dev.layertrace.LayertraceException;
import dev.layertrace.discover.NamespaceInventory;
import dev.layertrace.discover.RawNamespace;
import dev.layertrace.discover.RawSource;
import dev.layertrace.discover.TunHolder;
import dev.layertrace.netfilter.NetfilterModel;
import dev.layertrace.netlink.FlowQuery;
import dev.layertrace.netlink.RtnetlinkRequests;
import dev.layertrace.netlink.Rtnl;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live host as raw rtnetlink: for each namespace asked about, a namespace thread opens an
 * rtnetlink socket there and reads the sysctls, then goes away (the socket stays in the namespace).
 * Namespaces are read lazily, once. Close it to close the sockets.
 */
public final class LiveHost implements RawSource, AutoCloseable {
  private final NamespaceInventory inventory;
  private final dev.layertrace.discover.NamespaceScope scope;
  private final Map<String, RtnetlinkClient> clients = new HashMap<>(); // guarded by this
  private final Map<String, RawNamespace> read = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, Optional<String>>> nsids = new HashMap<>();
  private final Map<String, CompletableFuture<NetfilterModel>> rulesets = new ConcurrentHashMap<>();
  private final Map<String, NamespaceInventory.Entry> byName = new HashMap<>();
  private final ReceiveBuffers buffers = new ReceiveBuffers(); // shared by the namespaces' sockets

  public LiveHost(NamespaceInventory inventory) {
    this(inventory, dev.layertrace.discover.NamespaceScope.ALL);
  }

  /** A host restricted to {@code scope}: namespaces outside it are neither listed nor entered. */
  public LiveHost(NamespaceInventory inventory, dev.layertrace.discover.NamespaceScope scope) {
    this.scope = scope;
    this.inventory = scope.restrict(inventory);
    // By name: a whole host's read looks up a thousand names a few times each.
    for (NamespaceInventory.Entry e : this.inventory.entries()) {
      byName.putIfAbsent(e.name(), e);
    }
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
      fresh = ex.call(() -> readHere(e, buffers));
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
    for (Read r : NamespaceWalker.walk(todo, e -> Netns.ofPath(Path.of(e.path())), threads,
        e -> readHere(e, buffers))) {
      if (r != null) {
        keep(r);
      }
    }
  }

  /** A namespace read: its raw dumps and the socket that stays there. */
  private record Read(RawNamespace raw, RtnetlinkClient client) {}

  /** Reads the namespace the calling thread is in (which must be {@code e}'s). */
  private static Read readHere(NamespaceInventory.Entry e, ReceiveBuffers buffers) {
    RtnetlinkClient c = RtnetlinkClient.openHere(e.name(), buffers);
    try {
      byte[] links = dump(c, RtnetlinkRequests::dumpLinks);
      // rp_filter only for devices that can be an input: not the ports of a bridge (a bridge of a
      // thousand containers would cost a thousand reads), which the kernel never routes from.
      Map<Integer, String> inputs = new HashMap<>();
      boolean hasBridge = false;
      for (var m : dev.layertrace.netlink.ReplyCollector.ofRecorded(links, Rtnl.RTM_GETLINK)) {
        var l = dev.layertrace.netlink.RtnetlinkParser.link(m);
        hasBridge |= l.isBridge();
        if (l.master() == 0 && !l.loopback()) {
          inputs.put(l.index(), l.name());
        }
      }
      Map<String, String> sysctls = NamespaceSysctls.readHere(c, inputs, hasBridge);
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

  /**
   * The namespaces that have a device named {@code ifname}, found by walking the ones not read yet
   * with {@link NamespaceWalker} threads that only look at {@code /proc/thread-self/net/dev} (the
   * thread's namespace's devices) — far cheaper than reading each. Namespaces already read are all
   * kept (their snapshot answers at no cost), and so is one whose device list cannot be read. If the
   * walk fails, every namespace is returned, as without this shortcut.
   */
  @Override
  public List<String> namespacesWithDevice(String ifname) {
    List<NamespaceInventory.Entry> unread = inventory.entries().stream()
        .filter(e -> !read.containsKey(e.name())).toList();
    List<Boolean> has;
    try {
      has = NamespaceWalker.walk(unread, e -> Netns.ofPath(Path.of(e.path())), DEVICE_WALKERS,
          e -> hasDeviceHere(ifname));
    } catch (RuntimeException e) {
      return namespaceNames(); // e.g. one namespace not enterable: the caller reads each, as before
    }
    java.util.Set<String> without = new java.util.HashSet<>();
    for (int i = 0; i < unread.size(); i++) {
      if (!Boolean.TRUE.equals(has.get(i))) {
        without.add(unread.get(i).name()); // no such device, or gone since the scan
      }
    }
    return namespaceNames().stream().filter(n -> !without.contains(n)).toList();
  }

  /**
   * The namespaces whose inode the scan found to be {@code inode}, and those whose inode it could not
   * tell; all of them when none matches (the namespace may be one the scan did not list by that inode).
   */
  @Override
  public List<String> namespacesWithInode(long inode) {
    List<String> match = inventory.entries().stream().filter(e -> e.inode() == inode || e.inode() == 0)
        .map(NamespaceInventory.Entry::name).distinct().toList();
    return match.isEmpty() ? namespaceNames() : match;
  }

  /** Walker threads for {@link #namespacesWithDevice}: the work is syscalls, one thread per core. */
  private static final int DEVICE_WALKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** Whether the calling thread's namespace has a device named {@code ifname} (true when unsure). */
  private static boolean hasDeviceHere(String ifname) {
    Optional<String> dev = ProcReaders.read(Path.of("/proc/thread-self/net/dev"));
    if (dev.isEmpty()) {
      return true;
    }
    // "  Inter-|   Receive ..." and " face |bytes ..." headers, then "  NAME: counters" per device.
    for (String line : dev.get().split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equals(ifname)) {
        return true;
      }
    }
    return false;
  }

  /** The namespace of that inventory name, to enter it for other reads (rulesets, conntrack). */
  public Netns netns(String name) {
    return Netns.ofPath(Path.of(entry(name).path()));
  }

  /**
   * The netfilter model of a namespace of this host, read through {@link NetfilterReader} once (or
   * taken from {@link #prefetchRulesets}); its failure is thrown here, as the read's own.
   */
  public NetfilterModel rulesets(String name) {
    CompletableFuture<NetfilterModel> f = rulesets.get(name);
    if (f == null) {
      CompletableFuture<NetfilterModel> mine = new CompletableFuture<>();
      f = rulesets.putIfAbsent(name, mine);
      if (f == null) {
        f = mine;
        completeWithRules(mine, name);
      }
    }
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Starts reading (and parsing) a namespace's rules on a thread of its own, for {@link #rulesets} to
   * find: on a big ruleset the tools and the parse take most of a path's time, which this lets overlap
   * the rest of the walk. A failure stays in the future until {@link #rulesets} asks for it.
   */
  public void prefetchRulesets(String name) {
    CompletableFuture<NetfilterModel> mine = new CompletableFuture<>();
    if (rulesets.putIfAbsent(name, mine) != null) {
      return;
    }
    Thread t = new Thread(() -> completeWithRules(mine, name), "layertrace-rules-" + name);
    t.setDaemon(true);
    t.start();
  }

  private void completeWithRules(CompletableFuture<NetfilterModel> f, String name) {
    try {
      f.complete(NetfilterReader.read(netns(name)));
    } catch (RuntimeException | Error e) {
      f.completeExceptionally(e);
    }
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
    // Namespaces already read first: the one a path came from usually is the peer asked about, and on a
    // host of a thousand namespaces the others cost a thousand questions. (Each namespace has one id
    // here, so the order changes only how soon the answer is found.)
    List<NamespaceInventory.Entry> order = new java.util.ArrayList<>(inventory.entries());
    order.sort(java.util.Comparator.comparing(e -> !read.containsKey(e.name())));
    for (NamespaceInventory.Entry e : order) {
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
    NamespaceInventory.Entry e = byName.get(name);
    if (e == null) {
      throw LayertraceException.usage("no network namespace '" + name + "' (see ip netns list)");
    }
    return e;
  }

  private static byte[] dump(RtnetlinkClient c, java.util.function.IntFunction<byte[]> request) {
    int s = c.nextSeq();
    return c.exchange(request.apply(s), s);
  }

  /** Closes the sockets, once the rule reads still running have ended (their tools run in this host). */
  @Override
  public void close() {
    for (CompletableFuture<NetfilterModel> f : rulesets.values()) {
      try {
        f.join();
      } catch (RuntimeException e) {
        // a prefetch nobody asked for: its failure does not matter
      }
    }
    synchronized (this) {
      clients.values().forEach(RtnetlinkClient::close);
      clients.clear();
    }
  }
}
