/**
 * layertrace core. Packages by responsibility: {@code model} (records), {@code capture} (JSON
 * format), {@code render} (text, DOT, SVG/PNG, Mermaid, Markdown), {@code sys} (the only code that
 * touches native calls, /proc, /sys, tracefs and processes), {@code lab}, {@code discover},
 * {@code check}, {@code probe}, {@code verdict}.
 */
package dev.layertrace;
