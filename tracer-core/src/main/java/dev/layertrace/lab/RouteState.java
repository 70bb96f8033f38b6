package dev.layertrace.lab;

/**
 * A route of the main table.
 *
 * @param gateway null for a connected route
 * @param onlink the {@code onlink} flag (the transient {@code linkdown} flag is not kept)
 */
public record RouteState(String dst, String gateway, String dev, boolean onlink, String protocol, String scope) {
  String canonical() {
    return "route " + dst + (gateway == null ? "" : " via " + gateway) + " dev " + dev + (onlink ? " onlink" : "")
        + (protocol == null ? "" : " proto " + protocol) + (scope == null ? "" : " scope " + scope);
  }

  /** True for the default route. */
  public boolean isDefault() {
    return "default".equals(dst);
  }
}
