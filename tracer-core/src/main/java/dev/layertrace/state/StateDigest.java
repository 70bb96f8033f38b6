package dev.layertrace.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The normalised network state of a system: for each namespace ({@link #ROOT} for the one the tool
 * runs in, else its name under /run/netns), one text per section ({@code links}, {@code routes},
 * {@code nft}, …). Keeps the texts, not only hashes, so a difference can be shown.
 *
 * @param namespaces namespace → section → normalised text; sorted
 */
public record StateDigest(Map<String, Map<String, String>> namespaces) {
  /** The key of the namespace the reading process runs in. */
  public static final String ROOT = "(root)";

  public StateDigest {
    Map<String, Map<String, String>> copy = new TreeMap<>();
    namespaces.forEach((ns, sections) -> copy.put(ns, Collections.unmodifiableMap(new TreeMap<>(sections))));
    namespaces = Collections.unmodifiableMap(copy);
  }

  /** SHA-256 over every namespace and section, for a one-line log. */
  public String sha256() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      namespaces.forEach((ns, sections) -> sections.forEach((name, text) -> {
        md.update((ns + "\0" + name + "\0").getBytes(StandardCharsets.UTF_8));
        md.update(text.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Section texts of one namespace; empty when it was not there. */
  public Map<String, String> of(String netns) {
    return namespaces.getOrDefault(netns, Map.of());
  }

  /**
   * What differs from {@code later}: {@code "+ ns"} / {@code "- ns"} for namespaces that appeared or
   * went away, {@code "ns section: first differing line"} for changed sections. Empty when equal.
   */
  public List<String> differences(StateDigest later) {
    List<String> out = new ArrayList<>();
    Set<String> all = new TreeSet<>(namespaces.keySet());
    all.addAll(later.namespaces.keySet());
    for (String ns : all) {
      if (!later.namespaces.containsKey(ns)) {
        out.add("- " + ns);
      } else if (!namespaces.containsKey(ns)) {
        out.add("+ " + ns);
      } else {
        Set<String> sections = new TreeSet<>(of(ns).keySet());
        sections.addAll(later.of(ns).keySet());
        for (String s : sections) {
          String a = of(ns).getOrDefault(s, "");
          String b = later.of(ns).getOrDefault(s, "");
          if (!a.equals(b)) {
            out.add(ns + " " + s + ": " + firstDifference(a, b));
          }
        }
      }
    }
    return out;
  }

  /** The digest without the namespaces in {@code names}. */
  public StateDigest without(Set<String> names) {
    Map<String, Map<String, String>> m = new TreeMap<>(namespaces);
    m.keySet().removeAll(names);
    return new StateDigest(m);
  }

  private static String firstDifference(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String l = i < x.length ? x[i] : "";
      String r = i < y.length ? y[i] : "";
      if (!l.equals(r)) {
        return "line " + (i + 1) + ": '" + abbreviate(l) + "' → '" + abbreviate(r) + "'";
      }
    }
    return "(whitespace)";
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "…";
  }
}
