package dev.layertrace.netfilter;

import java.util.Locale;

/** An nftables address family; iptables tables are {@link #IP}. */
public enum Family {
  IP,
  IP6,
  INET,
  ARP,
  BRIDGE,
  NETDEV;

  /** The nft spelling: {@code ip}, {@code inet}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the nft spelling; null when unknown. */
  static Family of(String word) {
    for (Family f : values()) {
      if (f.word().equals(word)) {
        return f;
      }
    }
    return null;
  }

  /** Whether base chains of this family see IPv4 packets at the IP hooks. */
  public boolean seesIpv4() {
    return this == IP || this == INET;
  }
}
