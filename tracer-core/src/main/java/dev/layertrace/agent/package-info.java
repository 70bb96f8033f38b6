/**
 * {@code layertrace agent}: one kernel's half of a trace, served to a tracer on the other kernel.
 * Newline-delimited JSON over a unix or TCP socket ({@link AgentMessages}), a shared token, read-only:
 * the agent resolves its half of the path from the tap where the guest's frames arrive, observes it
 * for the probe ids it is given, and streams its sightings and kernel drop events back; the tracer
 * merges them ({@link dev.layertrace.discover.PathMerge}, {@link dev.layertrace.probe.RemoteHalf}).
 */
package dev.layertrace.agent;
