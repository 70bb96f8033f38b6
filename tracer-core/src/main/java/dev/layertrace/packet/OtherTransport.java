package dev.layertrace.packet;

/** The payload of an IPv4 protocol the parser does not look into. */
public record OtherTransport(int protocol, byte[] data) implements Transport {
  public OtherTransport {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public byte[] payload() {
    return data.clone();
  }
}
