package dev.layertrace.netfilter;

import java.util.Locale;

/** A netfilter hook a base chain attaches to. */
public enum Hook {
  INGRESS,
  PREROUTING,
  INPUT,
  FORWARD,
  OUTPUT,
  POSTROUTING;

  /** The nft spelling: {@code prerouting}, {@code forward}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the nft spelling (case-insensitive, so iptables chain names work); null when unknown. */
  static Hook of(String word) {
    for (Hook h : values()) {
      if (h.name().equalsIgnoreCase(word)) {
        return h;
      }
    }
    return null;
  }
}
