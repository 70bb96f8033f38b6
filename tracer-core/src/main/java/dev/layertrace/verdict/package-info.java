/**
 * The verdict engine: from the expected path, the observations at each layer, ARP, kernel drop
 * events, static findings and netfilter decisions to one {@link dev.layertrace.model.Verdict} per
 * probe. Pure: it reads records and never the system.
 */
package dev.layertrace.verdict;
