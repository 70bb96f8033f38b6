package dev.layertrace.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The state of every lab namespace at one moment. Its {@link #digest()} is equal for two moments
 * exactly when links, addresses, routes, rules and sysctls are equal — how a test proves that
 * healing a fault restored the lab. Namespaces that do not exist are simply absent.
 */
public record LabSnapshot(List<NamespaceState> namespaces) {
  public LabSnapshot {
    namespaces = List.copyOf(namespaces);
  }

  public Optional<NamespaceState> namespace(String netns) {
    return namespaces.stream().filter(n -> n.netns().equals(netns)).findFirst();
  }

  /** A stable, human-readable text of the whole state (what the digest is taken over). */
  public String canonical() {
    StringBuilder b = new StringBuilder();
    namespaces.stream().sorted(java.util.Comparator.comparing(NamespaceState::netns))
        .forEach(n -> b.append(n.canonical()));
    return b.toString();
  }

  /** SHA-256 of {@link #canonical()}, hex. */
  public String digest() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
