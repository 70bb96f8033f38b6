package dev.layertrace.netlink;

/**
 * One interface address (RTM_NEWADDR).
 *
 * @param address IFA_LOCAL if present (the interface's own address), else IFA_ADDRESS
 * @param peer IFA_ADDRESS when it differs from IFA_LOCAL (point-to-point), else null
 * @param scope RT_SCOPE_*: 0 global, 253 link, 254 host
 */
public record Address(int family, int ifindex, int prefixLength, int scope, String address, String peer, String label) {
  public static final int SCOPE_LINK = 253;

  /** Global or site scope: an address other hosts can use (not fe80::, not 127.0.0.1). */
  public boolean routable() {
    return scope < SCOPE_LINK;
  }

  /** {@code 172.17.0.1/16}. */
  public String cidr() {
    return address + "/" + prefixLength;
  }
}
