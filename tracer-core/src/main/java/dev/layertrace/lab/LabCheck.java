package dev.layertrace.lab;

/**
 * One thing {@code lab status} checked.
 *
 * @param area the namespace, {@code relay} or {@code path}
 * @param item what was checked: {@code eth0}, {@code default route}, {@code net.ipv4.ip_forward}, …
 * @param detail what was found (and, when not ok, what was expected)
 */
public record LabCheck(String area, String item, boolean ok, String detail) {
  static LabCheck ok(String area, String item, String detail) {
    return new LabCheck(area, item, true, detail);
  }

  static LabCheck bad(String area, String item, String detail) {
    return new LabCheck(area, item, false, detail);
  }
}
