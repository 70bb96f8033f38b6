package dev.layertrace.netfilter;

import java.util.Locale;

/** What netfilter does with a packet: a chain policy or the outcome of a hook. */
public enum PacketVerdict {
  ACCEPT,
  DROP,
  REJECT;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for drop and reject: the packet goes no further. */
  public boolean stops() {
    return this != ACCEPT;
  }
}
