package dev.layertrace.sys;

/**
 * What {@link LinuxSocket#recvFrom} received: the number of bytes (with MSG_TRUNC the full datagram
 * length, which may exceed the buffer) and the sender's sockaddr, trimmed to the length the kernel
 * returned (read it with {@link Sockaddrs}).
 */
public record RecvResult(int length, byte[] source) {}
