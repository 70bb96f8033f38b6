package dev.layertrace.netlink;

/**
 * One policy routing rule (RTM_NEWRULE).
 *
 * @param action FR_ACT_* (1 to table, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit)
 */
public record Rule(
    int family,
    Integer priority,
    int table,
    int action,
    String src,
    int srcLength,
    String dst,
    int dstLength,
    String iifName,
    String oifName,
    Integer fwmark) {}
