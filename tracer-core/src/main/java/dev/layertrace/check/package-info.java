/**
 * {@code layertrace doctor}: the assumptions Docker's network stack (and a microVM under it) relies on,
 * one small {@link dev.layertrace.check.Check} per concern, evaluated on an immutable
 * {@link dev.layertrace.check.SystemFacts} snapshot. Pure: the snapshot is read by
 * {@code dev.layertrace.sys.SystemFactsReader}, and tests replay snapshots recorded on a real machine.
 */
package dev.layertrace.check;
