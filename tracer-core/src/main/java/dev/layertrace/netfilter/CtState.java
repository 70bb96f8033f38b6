package dev.layertrace.netfilter;

import java.util.Locale;

/** The conntrack state a packet has when netfilter sees it. */
public enum CtState {
  NEW,
  ESTABLISHED,
  RELATED,
  INVALID,
  UNTRACKED;

  /** The nft spelling: {@code new}, {@code established}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
