/**
 * The capture file: the JSON form of a {@link dev.layertrace.model.Capture}, written
 * deterministically and read back tolerantly within one major schema version
 * ({@code docs/capture-format.md}, schema {@code capture-v1.schema.json} beside this package's
 * classes).
 */
package dev.layertrace.capture;
