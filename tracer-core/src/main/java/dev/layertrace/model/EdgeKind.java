package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How one layer hands a packet to the next. */
public enum EdgeKind {
  /** Across a veth pair, possibly into another namespace. */
  VETH_PEER,
  /** Between a bridge and one of its ports. */
  BRIDGE_PORT,
  /** A routing decision hands the packet to an output device. */
  ROUTE,
  /** Between netfilter hooks within one namespace (forward filter, then postrouting). */
  NETFILTER,
  /** Through a NAT rewrite; the edge label says what was rewritten. */
  NAT,
  /** Across the VMM boundary, from a guest NIC to the host tap (another kernel). */
  VMM_LINK,
  /** Out of the uplink towards the remote. */
  UPLINK;

  @JsonValue
  public String word() {
    return Vocabulary.wordOf(this);
  }

  @JsonCreator
  public static EdgeKind of(String word) {
    return Vocabulary.parse(EdgeKind.class, word);
  }
}
