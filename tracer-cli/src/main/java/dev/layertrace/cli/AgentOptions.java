package dev.layertrace.cli;

import dev.layertrace.agent.AgentAddress;
import dev.layertrace.discover.NamespaceScope;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code trace}'s options for a path across two kernels: the agent to ask, and this side's scope. */
final class AgentOptions {
  @Option(names = "--agent", paramLabel = "unix:PATH|tcp:HOST:PORT",
      description = "Ask the layertrace agent on the other kernel for its half of the path, and merge both into"
          + " one capture. In a guest: the host's agent observes from the tap on. On a host, with a source that"
          + " is not on this kernel: the guest's agent sends the probe and observes the guest's half; if it cannot be"
          + " reached and the VMM holding the guest's tap says its VM is paused (QEMU's monitor or QMP), that is"
          + " the verdict.")
  String agent;

  @Option(names = "--agent-token-file", paramLabel = "FILE", defaultValue = "/run/layertrace/agent.token",
      description = "The agent's token. Default: ${DEFAULT-VALUE}.")
  Path tokenFile;

  @Option(names = "--scope", paramLabel = "NETNS[,NETNS…]",
      description = "Only read and enter these network namespaces (this kernel's half; enforced).")
  String scope;

  @Option(names = "--tap", paramLabel = "NETNS/IFACE",
      description = "With --agent: the host tap behind this guest's NIC (default: found by subnet and MAC, or by"
          + " the agent's tcp: address; a VMM's config names it, e.g. Firecracker's host_dev_name).")
  String tap;

  /** No agent, no scope: an ordinary single-kernel trace. */
  static AgentOptions none() {
    return new AgentOptions();
  }

  /** Split-mode options, for tests and the web view. */
  static AgentOptions of(String agent, Path tokenFile, String scope, String tap) {
    AgentOptions o = new AgentOptions();
    o.agent = agent;
    o.tokenFile = tokenFile == null ? AgentTokens.DEFAULT : tokenFile;
    o.scope = scope;
    o.tap = tap;
    return o;
  }

  boolean enabled() {
    return agent != null;
  }

  AgentAddress address() {
    return AgentAddress.parse(agent);
  }

  /** With an agent this side is the guest's: the VMM belongs to the other kernel and is not looked for. */
  NamespaceScope namespaceScope() {
    return NamespaceScope.parse(scope, !enabled());
  }
}
