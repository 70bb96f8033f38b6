/**
 * Digests of a system's network state (links, addresses, routes, rules, sysctls, rulesets of every
 * namespace), to prove that a read-only command changed nothing. The reading is done by
 * {@code dev.layertrace.sys.SystemStateReader}; normalising and comparing here is pure.
 */
package dev.layertrace.state;
