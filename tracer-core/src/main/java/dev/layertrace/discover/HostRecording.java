package dev.layertrace.discover;

import dev.layertrace.LayertraceException;
import dev.layertrace.netlink.FlowQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything one path resolution read from a host, raw: namespaces' dumps, each route question and
 * the kernel's answer, nsid resolutions and tap holders. Written as JSON (bytes in base64) by
 * {@link #recording}, replayed by {@link #replay} — so resolution is tested on real kernel answers.
 */
public record HostRecording(
    List<String> names,
    Map<String, RawNamespace> namespaces,
    List<RouteExchange> routes,
    List<NsidAnswer> nsids,
    List<TunHolder> tunHolders) {

  /** One single-flow route question and the raw reply. */
  public record RouteExchange(String netns, FlowQuery query, byte[] reply) {}

  /** What {@code netns} calls {@code nsid}: {@code peer}, or null if no known namespace matched. */
  public record NsidAnswer(String netns, int nsid, String peer) {}

  public HostRecording {
    names = List.copyOf(names);
    namespaces = java.util.Collections.unmodifiableMap(new TreeMap<>(namespaces));
    routes = List.copyOf(routes);
    nsids = List.copyOf(nsids);
    tunHolders = List.copyOf(tunHolders);
  }

  /** A source answering from this recording; a question it has no answer for is an error naming it. */
  public RawSource replay() {
    return new RawSource() {
      @Override
      public List<String> namespaceNames() {
        return names;
      }

      @Override
      public RawNamespace namespace(String name) {
        RawNamespace r = namespaces.get(name);
        if (r == null) {
          throw LayertraceException.usage("no network namespace '" + name + "' (see ip netns list)");
        }
        return r;
      }

      @Override
      public byte[] routeFor(String netns, FlowQuery q) {
        return routes.stream().filter(e -> e.netns().equals(netns) && e.query().equals(q)).findFirst()
            .map(RouteExchange::reply)
            .orElseThrow(() -> new IllegalStateException("not recorded: route in " + netns + " for " + q));
      }

      @Override
      public Optional<String> resolveNsid(String netns, int nsid) {
        return nsids.stream().filter(a -> a.netns().equals(netns) && a.nsid() == nsid).findFirst()
            .map(NsidAnswer::peer);
      }

      @Override
      public List<TunHolder> tunHolders() {
        return tunHolders;
      }
    };
  }

  /** Wraps {@code live} so that everything asked of it is kept; {@link Recorder#recording()} returns it. */
  public static Recorder recording(RawSource live) {
    return new Recorder(live);
  }

  /** A pass-through source that keeps what went through it. Used by one thread. */
  public static final class Recorder implements RawSource {
    private final RawSource live;
    private List<String> names = List.of();
    private final Map<String, RawNamespace> namespaces = new TreeMap<>();
    private final List<RouteExchange> routes = new ArrayList<>();
    private final List<NsidAnswer> nsids = new ArrayList<>();
    private List<TunHolder> holders = List.of();

    private Recorder(RawSource live) {
      this.live = live;
    }

    @Override
    public List<String> namespaceNames() {
      names = live.namespaceNames();
      return names;
    }

    @Override
    public RawNamespace namespace(String name) {
      RawNamespace r = live.namespace(name);
      namespaces.put(name, r);
      return r;
    }

    @Override
    public byte[] routeFor(String netns, FlowQuery q) {
      byte[] reply = live.routeFor(netns, q);
      if (routes.stream().noneMatch(e -> e.netns().equals(netns) && e.query().equals(q))) {
        routes.add(new RouteExchange(netns, q, Arrays.copyOf(reply, reply.length)));
      }
      return reply;
    }

    @Override
    public Optional<String> resolveNsid(String netns, int nsid) {
      Optional<String> peer = live.resolveNsid(netns, nsid);
      nsids.add(new NsidAnswer(netns, nsid, peer.orElse(null)));
      return peer;
    }

    @Override
    public List<TunHolder> tunHolders() {
      holders = live.tunHolders();
      return holders;
    }

    public HostRecording recording() {
      return new HostRecording(names, namespaces, routes, nsids, holders);
    }
  }
}
