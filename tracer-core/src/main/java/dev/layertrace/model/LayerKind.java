package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of layer a packet crosses, as named in DESIGN.md's verdict vocabulary. */
public enum LayerKind {
  CONTAINER,
  VETH,
  BRIDGE,
  FORWARDING,
  FILTER,
  NAT,
  NIC,
  VMM_LINK,
  TAP,
  UPLINK,
  REMOTE;

  /** The JSON and CLI word: {@code vmm-link}, {@code nic}, … */
  @JsonValue
  public String word() {
    return Vocabulary.wordOf(this);
  }

  @JsonCreator
  public static LayerKind of(String word) {
    return Vocabulary.parse(LayerKind.class, word);
  }
}
