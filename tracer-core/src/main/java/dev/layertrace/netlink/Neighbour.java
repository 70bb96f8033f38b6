package dev.layertrace.netlink;

/**
 * One neighbour (ARP/NDP) entry (RTM_NEWNEIGH).
 *
 * @param state NUD_* bits from ndmsg
 */
public record Neighbour(int family, int ifindex, String dst, String lladdr, int state) {
  public static final int NUD_INCOMPLETE = 0x01;
  public static final int NUD_REACHABLE = 0x02;
  public static final int NUD_STALE = 0x04;
  public static final int NUD_DELAY = 0x08;
  public static final int NUD_PROBE = 0x10;
  public static final int NUD_FAILED = 0x20;
  public static final int NUD_NOARP = 0x40;
  public static final int NUD_PERMANENT = 0x80;

  /** The next hop cannot be reached at layer 2: the kernel gave up or is still waiting. */
  public boolean unresolved() {
    return (state & (NUD_FAILED | NUD_INCOMPLETE)) != 0;
  }

  /** The state as {@code ip neigh} prints it: {@code REACHABLE}, {@code FAILED}, … */
  public String stateWord() {
    return stateWord(state);
  }

  public static String stateWord(int state) {
    if (state == 0) {
      return "NONE";
    }
    String[] names = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"};
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      if ((state & (1 << i)) != 0) {
        b.append(b.length() == 0 ? "" : "|").append(names[i]);
      }
    }
    return b.length() == 0 ? "0x" + Integer.toHexString(state) : b.toString();
  }
}
