package dev.layertrace.discover;

import dev.layertrace.model.EdgeKind;
import dev.layertrace.netlink.Link;
import dev.layertrace.netlink.Route;

/**
 * Where a frame sent on a link comes out: namespace and link, the edge kind that got it there, and the
 * route that sent it (for the next hop's gateway), or null.
 */
record Arrival(String netns, Link link, EdgeKind edge, Route previousRoute) {}
