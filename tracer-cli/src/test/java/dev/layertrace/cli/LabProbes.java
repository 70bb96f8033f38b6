package dev.layertrace.cli;

import dev.layertrace.lab.FaultProbe;
import dev.layertrace.lab.LabTopology;
import dev.layertrace.sys.LinuxConstants;
import dev.layertrace.sys.LinuxSocket;
import dev.layertrace.sys.Netns;
import dev.layertrace.sys.NetnsExecutor;
import dev.layertrace.sys.RecvResult;
import dev.layertrace.sys.Sockaddrs;
import dev.layertrace.sys.SysException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Real probes through the lab for the root tests: ICMP echoes from a raw socket opened inside the
 * container's namespace (with a chosen size and DF bit), and a UDP echo and a TCP listener on the
 * remote 198.51.100.10 opened inside the internet namespace, answered by that namespace's kernel
 * and by small Java responders. Close it before {@code lab down}: its sockets keep namespaces alive.
 */
final class LabProbes implements AutoCloseable {
  static final int UDP_PORT = 7007;
  static final int TCP_PORT = 7008;

  private final NetnsExecutor ctr;
  private final NetnsExecutor inet;
  private final DatagramSocket udpServer;
  private final ServerSocket tcpServer;
  private final InetAddress remote;
  private final int idBase = new java.util.Random().nextInt(0x10000);
  private int sequence;

  LabProbes(LabTopology t) throws IOException {
    remote = InetAddress.getByName(LabTopology.REMOTE);
    ctr = NetnsExecutor.enter(Netns.named(t.ctr()));
    inet = NetnsExecutor.enter(Netns.named(t.inet()));
    udpServer = inet.call(() -> new DatagramSocket(new InetSocketAddress(remote, UDP_PORT)));
    tcpServer = inet.call(() -> new ServerSocket(TCP_PORT, 50, remote));
    Thread udp = new Thread(this::echoUdp, "lab-test-udp-echo");
    udp.setDaemon(true);
    udp.start();
    Thread tcp = new Thread(this::acceptTcp, "lab-test-tcp-accept");
    tcp.setDaemon(true);
    tcp.start();
  }

  /** Sends {@code p} (all catalog probes are ICMP) and says whether a reply came back in time. */
  boolean replies(FaultProbe p, int timeoutMs) {
    return switch (p.protocol()) {
      case ICMP -> icmp(p.size(), p.df(), timeoutMs);
      case UDP -> udp(timeoutMs);
      case TCP -> tcp(timeoutMs);
    };
  }

  /** One ICMP echo of {@code size} bytes (IP total length), DF as asked, from lt-ctr to the remote. */
  boolean icmp(int size, boolean df, int timeoutMs) {
    // A new ICMP id per probe: conntrack keys ICMP flows by id, and an old flow's NAT binding would
    // carry the reply past a fault that removed the NAT rule.
    short id = (short) (idBase + ++sequence);
    short seq = 1;
    try (LinuxSocket s = ctr.call(() -> LinuxSocket.open(LinuxConstants.AF_INET, LinuxConstants.SOCK_RAW,
        LinuxConstants.IPPROTO_ICMP))) {
      s.setsockoptInt(LinuxConstants.SOL_IP, LinuxConstants.IP_MTU_DISCOVER,
          df ? LinuxConstants.IP_PMTUDISC_DO : LinuxConstants.IP_PMTUDISC_DONT);
      byte[] echo = new byte[size - 20];
      ByteBuffer b = ByteBuffer.wrap(echo);
      b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort(id).putShort(seq);
      for (int i = 8; i < echo.length; i++) {
        echo[i] = (byte) i;
      }
      b.putShort(2, checksum(echo));
      try {
        s.sendTo(echo, 0, echo.length, 0, Sockaddrs.inet((Inet4Address) remote, 0));
      } catch (SysException e) {
        return false; // ENETUNREACH: the container has no route; no packet left
      }
      long deadline = System.currentTimeMillis() + timeoutMs;
      byte[] in = new byte[65_536];
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        if ((s.poll(LinuxConstants.POLLIN, (int) left) & LinuxConstants.POLLIN) == 0) {
          continue;
        }
        RecvResult r = s.recvFrom(in, 0, in.length, LinuxConstants.MSG_DONTWAIT);
        if (r == null) {
          continue;
        }
        int ihl = (in[0] & 0x0f) * 4;
        ByteBuffer icmp = ByteBuffer.wrap(in, ihl, r.length() - ihl);
        boolean fromRemote = Arrays.equals(Arrays.copyOfRange(in, 12, 16), remote.getAddress());
        if (fromRemote && icmp.get(ihl) == 0 && icmp.getShort(ihl + 4) == id && icmp.getShort(ihl + 6) == seq) {
          return true;
        }
      }
    }
  }

  /** A UDP datagram from lt-ctr to the remote's echo port; true when the echo comes back. */
  boolean udp(int timeoutMs) {
    try (DatagramSocket c = ctr.call(DatagramSocket::new)) {
      c.setSoTimeout(timeoutMs);
      byte[] msg = ("layertrace lab probe " + System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      c.send(new DatagramPacket(msg, msg.length, remote, UDP_PORT));
      byte[] in = new byte[512];
      DatagramPacket reply = new DatagramPacket(in, in.length);
      c.receive(reply);
      return Arrays.equals(Arrays.copyOf(in, reply.getLength()), msg);
    } catch (IOException e) {
      return false;
    }
  }

  /** A TCP SYN from lt-ctr to the remote's listener; true when the handshake completes. */
  boolean tcp(int timeoutMs) {
    try {
      return ctr.call(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(remote, TCP_PORT), timeoutMs);
          return true;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void echoUdp() {
    byte[] buf = new byte[2048];
    while (!udpServer.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udpServer.receive(p);
        udpServer.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void acceptTcp() {
    while (!tcpServer.isClosed()) {
      try (Socket s = tcpServer.accept()) {
        s.getOutputStream().write('.');
      } catch (IOException e) {
        if (tcpServer.isClosed()) {
          return;
        }
      }
    }
  }

  private static short checksum(byte[] data) {
    long sum = 0;
    for (int i = 0; i + 1 < data.length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if ((data.length & 1) != 0) {
      sum += (data[data.length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (short) ~sum;
  }

  @Override
  public void close() {
    udpServer.close();
    try {
      tcpServer.close();
    } catch (IOException e) {
      // closing anyway
    }
    ctr.close();
    inet.close();
  }
}
