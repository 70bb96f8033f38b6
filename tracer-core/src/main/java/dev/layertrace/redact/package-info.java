/**
 * {@code --redact}: rewrites a capture so that it can be shared in a public incident. Addresses, MACs,
 * namespace, interface and container names, the hostname and home paths become consistent
 * placeholders; the structure and the verdict vocabulary stay as they were.
 */
package dev.layertrace.redact;
