/**
 * Discovery, pure: the path a packet should take from a source namespace to a destination, resolved
 * over a {@link dev.layertrace.discover.HostView} (live from {@code dev.layertrace.sys}, or replayed
 * from a recording), one small handler per link kind as in plotnetcfg, and the static findings.
 */
package dev.layertrace.discover;
