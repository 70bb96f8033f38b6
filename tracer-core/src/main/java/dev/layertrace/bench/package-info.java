/**
 * The benchmark suite's pure part: figures with their baselines and targets, the tables and the
 * BENCHMARKS.md section made from them, and the small analyses the suite reports (growth with the
 * number of containers, peak heap from a GC log, probes seen at every layer). Measuring happens in
 * the CLI's {@code bench} commands and in {@code dev.layertrace.sys}.
 */
package dev.layertrace.bench;
