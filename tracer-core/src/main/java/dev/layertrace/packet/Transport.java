package dev.layertrace.packet;

/** What an IPv4 packet carries: ICMP, UDP, TCP, or bytes of another protocol. */
public sealed interface Transport permits IcmpMessage, UdpDatagram, TcpSegment, OtherTransport {
  /** The bytes after this header (a copy). */
  byte[] payload();
}
