package dev.layertrace.check;

import java.util.List;

/**
 * {@code /etc/resolv.conf}: Docker copies it into containers, dropping loopback nameservers (a
 * container cannot reach the host's 127.0.0.53) and falling back to 8.8.8.8 and 8.8.4.4.
 */
public final class ResolvConfCheck implements Check {

  @Override
  public String id() {
    return "dns.resolv_conf";
  }

  @Override
  public CheckLayer layer() {
    return CheckLayer.DNS;
  }

  @Override
  public CheckResult evaluate(SystemFacts facts) {
    FileFact f = facts.file(FactPaths.RESOLV_CONF);
    String why = "containers inherit /etc/resolv.conf: without a usable nameserver name lookups in containers"
        + " fail, and with only loopback ones Docker substitutes public resolvers the network may block";
    String fix = "write a reachable nameserver to /etc/resolv.conf or set \"dns\" in /etc/docker/daemon.json";
    if (!f.present()) {
      return result(f.absent() ? CheckStatus.MISSING : CheckStatus.UNKNOWN, List.of(f.evidence()), why, fix);
    }
    List<String> servers = f.lines().stream().filter(l -> l.startsWith("nameserver"))
        .map(l -> l.substring("nameserver".length()).strip()).toList();
    if (servers.isEmpty()) {
      return result(CheckStatus.WRONG, List.of(FactPaths.RESOLV_CONF + " has no nameserver line"), why, fix);
    }
    List<String> reachable = servers.stream().filter(s -> !s.startsWith("127.") && !s.equals("::1")).toList();
    String ev = FactPaths.RESOLV_CONF + ": nameserver " + String.join(", ", servers);
    return result(reachable.isEmpty() ? CheckStatus.WRONG : CheckStatus.OK, List.of(ev), why, fix);
  }
}
