package dev.layertrace.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Byte layouts of the sockaddr structs (as in linux/in.h, linux/netlink.h, linux/if_packet.h on
 * x86_64) and a kernel round trip for the netlink one; the inet and packet ones are round-tripped by
 * the kernel in {@link LinuxSocketTest}.
 */
class SockaddrsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void inetHasFamilyLittleEndianPortAndAddressInNetworkOrder() throws Exception {
    byte[] sa = Sockaddrs.inet((Inet4Address) InetAddress.getByName("198.51.100.10"), 0x1F90);
    assertThat(HEX.formatHex(sa)).isEqualTo("0200" + "1f90" + "c633640a" + "0000000000000000");
    assertThat(Sockaddrs.family(sa)).isEqualTo(LinuxConstants.AF_INET);
    assertThat(Sockaddrs.inetPort(sa)).isEqualTo(8080);
    assertThat(Sockaddrs.inetAddress(sa).getHostAddress()).isEqualTo("198.51.100.10");
  }

  @Test
  void netlinkHasPidAndGroupsLittleEndian() {
    byte[] sa = Sockaddrs.netlink(0x01020304, 0x11);
    assertThat(HEX.formatHex(sa)).isEqualTo("1000" + "0000" + "04030201" + "11000000");
    assertThat(Sockaddrs.netlinkPid(sa)).isEqualTo(0x01020304);
  }

  @Test
  void packetHasProtocolInNetworkOrderAndIfindexLittleEndian() {
    byte[] sa = Sockaddrs.packet(LinuxConstants.ETH_P_IP, 7);
    assertThat(HEX.formatHex(sa)).isEqualTo("1100" + "0800" + "07000000" + "0000" + "00" + "00" + "0000000000000000");
    assertThat(Sockaddrs.packetProtocol(sa)).isEqualTo(0x0800);
    assertThat(Sockaddrs.packetIfindex(sa)).isEqualTo(7);
  }

  @Test
  void readersRefuseAnotherFamily() {
    assertThatThrownBy(() -> Sockaddrs.inetPort(Sockaddrs.netlink(0, 0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sockaddrs.inet((Inet4Address) InetAddress.getLoopbackAddress(), 70000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKernelAcceptsAndReturnsTheNetlinkLayout() {
    // Binding a netlink socket needs no privilege and sends nothing.
    try (LinuxSocket s = LinuxSocket.open(LinuxConstants.AF_NETLINK, LinuxConstants.SOCK_RAW, LinuxConstants.NETLINK_ROUTE)) {
      s.bind(Sockaddrs.netlink(0, 0));
      byte[] bound = s.getsockname();
      assertThat(bound).hasSize(Sockaddrs.NETLINK_SIZE);
      assertThat(Sockaddrs.family(bound)).isEqualTo(LinuxConstants.AF_NETLINK);
      assertThat(Sockaddrs.netlinkPid(bound)).isNotZero(); // the kernel assigned a port id
    }
  }
}
