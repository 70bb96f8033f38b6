/**
 * Probing without the system: probe ids and their packets, the BPF filter observers attach, the
 * matching of observed frames to probes, the adaptive end-of-trace window, and the binding of tracefs
 * drop events to a probe. The sockets and tracefs themselves live in {@code dev.layertrace.sys}.
 */
package dev.layertrace.probe;
