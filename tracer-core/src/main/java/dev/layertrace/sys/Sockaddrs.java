package dev.layertrace.sys;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Byte layouts of the sockaddr structs the kernel expects (x86_64: host fields little-endian, ports,
 * addresses and the packet protocol in network order), and readers for the ones it returns.
 */
public final class Sockaddrs {
  /** sizeof(struct sockaddr_in). */
  public static final int INET_SIZE = 16;
  /** sizeof(struct sockaddr_nl). */
  public static final int NETLINK_SIZE = 12;
  /** sizeof(struct sockaddr_ll). */
  public static final int PACKET_SIZE = 20;
  /** sizeof(struct sockaddr_storage): enough room for any address the kernel returns. */
  public static final int STORAGE_SIZE = 128;

  private Sockaddrs() {}

  /** struct sockaddr_in: family, port (network order), address, 8 zero bytes. */
  public static byte[] inet(Inet4Address a, int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    ByteBuffer b = le(INET_SIZE);
    b.putShort((short) LinuxConstants.AF_INET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
    b.put(a.getAddress());
    return b.array();
  }

  /** struct sockaddr_nl: family, padding, port id (0 = let the kernel choose), multicast group mask. */
  public static byte[] netlink(int pid, int groups) {
    ByteBuffer b = le(NETLINK_SIZE);
    b.putShort((short) LinuxConstants.AF_NETLINK);
    b.putShort((short) 0);
    b.putInt(pid);
    b.putInt(groups);
    return b.array();
  }

  /**
   * struct sockaddr_ll for bind/sendto on an AF_PACKET socket: family, protocol (given in host order,
   * stored in network order), ifindex; hatype, pkttype, halen and addr left zero.
   */
  public static byte[] packet(int protocolHostOrder, int ifindex) {
    ByteBuffer b = le(PACKET_SIZE);
    b.putShort((short) LinuxConstants.AF_PACKET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) protocolHostOrder);
    b.order(ByteOrder.LITTLE_ENDIAN).putInt(ifindex);
    return b.array();
  }

  /**
   * A 16-bit value in network order, as {@code socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))} wants its
   * protocol argument.
   */
  public static int htons(int hostOrder) {
    return ((hostOrder & 0xFF) << 8) | ((hostOrder >> 8) & 0xFF);
  }

  /** The address family (first two bytes) of any sockaddr. */
  public static int family(byte[] sockaddr) {
    return le(sockaddr).getShort(0) & 0xFFFF;
  }

  /** The IPv4 address of a sockaddr_in. */
  public static Inet4Address inetAddress(byte[] sockaddrIn) {
    requireFamily(sockaddrIn, LinuxConstants.AF_INET, INET_SIZE);
    byte[] a = new byte[4];
    System.arraycopy(sockaddrIn, 4, a, 0, 4);
    try {
      return (Inet4Address) InetAddress.getByAddress(a);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always a valid address
    }
  }

  /** The port (host order) of a sockaddr_in. */
  public static int inetPort(byte[] sockaddrIn) {
    requireFamily(sockaddrIn, LinuxConstants.AF_INET, INET_SIZE);
    return ((sockaddrIn[2] & 0xFF) << 8) | (sockaddrIn[3] & 0xFF);
  }

  /** The port id of a sockaddr_nl (the kernel's is 0). */
  public static int netlinkPid(byte[] sockaddrNl) {
    requireFamily(sockaddrNl, LinuxConstants.AF_NETLINK, NETLINK_SIZE);
    return le(sockaddrNl).getInt(4);
  }

  /** The protocol (host order) of a sockaddr_ll. */
  public static int packetProtocol(byte[] sockaddrLl) {
    requireFamily(sockaddrLl, LinuxConstants.AF_PACKET, PACKET_SIZE);
    return ((sockaddrLl[2] & 0xFF) << 8) | (sockaddrLl[3] & 0xFF);
  }

  /** The interface index of a sockaddr_ll. */
  public static int packetIfindex(byte[] sockaddrLl) {
    requireFamily(sockaddrLl, LinuxConstants.AF_PACKET, PACKET_SIZE);
    return le(sockaddrLl).getInt(4);
  }

  /** The packet type of a received sockaddr_ll: PACKET_HOST, PACKET_OUTGOING, ... */
  public static int packetType(byte[] sockaddrLl) {
    requireFamily(sockaddrLl, LinuxConstants.AF_PACKET, PACKET_SIZE);
    return sockaddrLl[10] & 0xFF;
  }

  private static void requireFamily(byte[] sa, int family, int minLength) {
    if (sa.length < minLength || family(sa) != family) {
      throw new IllegalArgumentException("not a sockaddr of family " + family + " (" + sa.length + " bytes)");
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }
}
