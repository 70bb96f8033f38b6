package dev.layertrace.netfilter;

import java.util.List;

/** How a packet crosses one namespace, which decides the hooks it meets. */
public enum PathKind {
  /** Routed through: prerouting, forward, postrouting. */
  FORWARD(List.of(Hook.PREROUTING, Hook.FORWARD, Hook.POSTROUTING)),
  /** Arrives and ends here: prerouting, input. */
  LOCAL_IN(List.of(Hook.PREROUTING, Hook.INPUT)),
  /** Starts here (a local socket): output, postrouting. */
  LOCAL_OUT(List.of(Hook.OUTPUT, Hook.POSTROUTING));

  private final List<Hook> hooks;

  PathKind(List<Hook> hooks) {
    this.hooks = hooks;
  }

  /** The hooks in the order the packet meets them. */
  public List<Hook> hooks() {
    return hooks;
  }
}
