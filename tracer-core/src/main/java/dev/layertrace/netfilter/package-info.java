/**
 * The netfilter model of one network namespace: the nftables ruleset (which also holds the
 * iptables-nft tables) and the iptables-legacy tables, parsed from the tools' output into immutable
 * records, and a static evaluator that tells which rule decides a probe at each hook on its path, the
 * NAT rewrite to expect, and whether several backends or base chains compete (split brain).
 *
 * <p>Pure: the tools are run by {@code dev.layertrace.sys.NetfilterReader}.
 */
package dev.layertrace.netfilter;
