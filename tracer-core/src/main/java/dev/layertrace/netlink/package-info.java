/**
 * rtnetlink wire format, pure: request encoders ({@link dev.layertrace.netlink.RtnetlinkRequests}) and
 * a parser ({@link dev.layertrace.netlink.RtnetlinkParser}) that turns kernel replies into immutable
 * records ({@link dev.layertrace.netlink.Link}, {@link dev.layertrace.netlink.Address},
 * {@link dev.layertrace.netlink.Route}, {@link dev.layertrace.netlink.Rule},
 * {@link dev.layertrace.netlink.Neighbour}). No socket here: the socket client lives in
 * {@code dev.layertrace.sys}.
 */
package dev.layertrace.netlink;
