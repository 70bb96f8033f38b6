package dev.layertrace.sys;

import dev.layertrace.LayertraceException;

/**
 * Run by {@link MissingPrivilegeTest} in a child JVM whose capabilities were dropped: tries the
 * privileged operations and prints one line per attempt, {@code WHAT EXIT MESSAGE} or {@code WHAT ok}.
 * It never creates anything: every attempt is refused before it could (or it reports "ok" and the
 * test fails).
 */
public final class PrivilegeProbe {
  private PrivilegeProbe() {}

  public static void main(String[] args) {
    attempt("packet", () -> LinuxSocket.open(LinuxConstants.AF_PACKET, LinuxConstants.SOCK_RAW,
        Sockaddrs.htons(LinuxConstants.ETH_P_ALL)).close());
    attempt("raw-icmp", () -> LinuxSocket.open(LinuxConstants.AF_INET, LinuxConstants.SOCK_RAW,
        LinuxConstants.IPPROTO_ICMP).close());
    attempt("setns", () -> NetnsExecutor.enter(Netns.named(args[0])).close());
  }

  private static void attempt(String what, Runnable r) {
    try {
      r.run();
      System.out.println(what + " ok");
    } catch (LayertraceException e) {
      System.out.println(what + " " + e.exitCode() + " " + e.getMessage());
    } catch (RuntimeException e) {
      System.out.println(what + " other " + e);
    }
  }
}
