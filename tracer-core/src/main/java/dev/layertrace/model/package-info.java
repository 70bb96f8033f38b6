/**
 * Immutable records that describe a path, the probes sent along it, what was seen, and the verdict.
 * Every other package speaks in these types; the capture format is their JSON form.
 */
package dev.layertrace.model;
