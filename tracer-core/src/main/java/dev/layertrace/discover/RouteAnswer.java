package dev.layertrace.discover;

import dev.layertrace.netlink.Route;

/**
 * The kernel's answer to one route question: a route, or the errno it refused with
 * (ENETUNREACH: no route; EHOSTUNREACH on input: forwarding disabled; EXDEV/EINVAL: reverse-path check).
 */
public record RouteAnswer(Route route, int errno, String errnoName) {
  public static RouteAnswer of(Route r) {
    return new RouteAnswer(r, 0, null);
  }

  public static RouteAnswer failed(int errno, String name) {
    return new RouteAnswer(null, errno, name);
  }

  public boolean ok() {
    return route != null;
  }
}
