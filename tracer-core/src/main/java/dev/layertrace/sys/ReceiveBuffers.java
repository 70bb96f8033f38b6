package dev.layertrace.sys;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Native receive buffers shared by the rtnetlink sockets of one owner (a {@link LiveHost}): a socket
 * borrows one for the length of a request. The kernel writes straight into it and only the bytes it
 * wrote are copied to the Java heap — a Java array passed to recv(2) is copied back whole, 64 KiB for
 * every answer, and a buffer per socket costs 64 MiB on a host of a thousand namespaces. As many
 * buffers exist as requests ran at once (the walker threads), not as sockets.
 */
final class ReceiveBuffers {
  /**
   * Larger than any datagram the kernel sends: it sizes a dump's datagrams by the largest read
   * seen on the socket, at most 32 KiB less the skb overhead.
   */
  static final int SIZE = 64 * 1024;

  private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();

  ByteBuffer take() {
    ByteBuffer b = free.pollFirst();
    return b != null ? b.clear() : ByteBuffer.allocateDirect(SIZE);
  }

  void give(ByteBuffer b) {
    free.offerFirst(b);
  }
}
