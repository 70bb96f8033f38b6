package dev.layertrace.lab;

import java.util.Objects;

/**
 * A network interface the lab creates.
 *
 * @param mac fixed so that captures of the lab are reproducible (Docker-style 02:42:… in the guest)
 * @param master the bridge it is a port of, or null
 */
public record LabLink(String netns, String name, LinkKind kind, String mac, String master) {
  public LabLink {
    Objects.requireNonNull(netns, "netns");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  /** The device kinds the lab uses, with the {@code ip -d link} kind word. */
  public enum LinkKind {
    VETH("veth"), BRIDGE("bridge"), TAP("tun");

    private final String ipKind;

    LinkKind(String ipKind) {
      this.ipKind = ipKind;
    }

    /** {@code linkinfo.info_kind} as {@code ip -j -d link} reports it. */
    public String ipKind() {
      return ipKind;
    }
  }
}
