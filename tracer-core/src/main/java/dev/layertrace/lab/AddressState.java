package dev.layertrace.lab;

/** An IPv4 address on an interface: {@code eth0 172.17.0.2/16}. */
public record AddressState(String iface, String cidr) {
  String canonical() {
    return "addr " + iface + " " + cidr;
  }
}
