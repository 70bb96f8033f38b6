package dev.layertrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.check.CheckResult;
import dev.layertrace.check.CheckStatus;
import dev.layertrace.check.DoctorReport;
import dev.layertrace.sys.Commands;
import dev.layertrace.sys.SystemFactsReader;
import dev.layertrace.testing.RootOnly;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No false {@code missing} on this machine (acceptance f): every check doctor reports ok, missing or
 * wrong is verified independently — by making the kernel create the object in a scratch namespace, by
 * mounting, or by asking another tool. A check that is healthy by the independent test must not be
 * missing/wrong, and one that is not must not be ok. The root namespace is only read.
 */
@RootOnly
class DoctorCrossCheckRootTest {
  private static final String NS = "lt-tdoc-xc";
  private static final String IN = "ip netns exec " + NS + " ";

  /** Per check id: a shell command that exits 0 exactly when the assumption holds on this machine. */
  private static final Map<String, String> INDEPENDENT = new LinkedHashMap<>();

  static {
    INDEPENDENT.put("mounts.proc", "mountpoint -q /proc");
    INDEPENDENT.put("mounts.sys", "mountpoint -q /sys");
    INDEPENDENT.put("mounts.dev", "mountpoint -q /dev");
    INDEPENDENT.put("mounts.dev_pts", "mountpoint -q /dev/pts");
    INDEPENDENT.put("mounts.dev_shm", "mountpoint -q /dev/shm");
    INDEPENDENT.put("mounts.run", "test -d /run -a -w /run");
    INDEPENDENT.put("mounts.cgroup",
        "mountpoint -q /sys/fs/cgroup/devices || [ \"$(stat -f -c %T /sys/fs/cgroup)\" = cgroup2fs ]");
    INDEPENDENT.put("mounts.hidden", "[ -z \"$(comm -23 <(findmnt -rn -N 1 -o TARGET,FSTYPE | awk '$2 != \"nsfs\""
        + " {print $1}' | grep -E '^/(proc|sys|dev|run)(/|$)' | sort -u) <(findmnt -rn -o TARGET | sort -u))\" ]");
    INDEPENDENT.put("kernel.nf_nat", IN + "iptables -t nat -L -n");
    INDEPENDENT.put("kernel.bridge_netfilter", IN + "test -e /proc/sys/net/bridge/bridge-nf-call-iptables");
    INDEPENDENT.put("kernel.net_ns", IN + "true");
    INDEPENDENT.put("kernel.pid_ns", "unshare -p -f true");
    INDEPENDENT.put("kernel.mnt_ns", "unshare -m true");
    INDEPENDENT.put("kernel.user_ns", "unshare -U true");
    INDEPENDENT.put("kernel.veth", "ip -n " + NS + " link add lt-v0 type veth peer name lt-v1");
    INDEPENDENT.put("kernel.bridge", "ip -n " + NS + " link add lt-br0 type bridge");
    INDEPENDENT.put("kernel.tun", "ip -n " + NS + " tuntap add dev lt-tap0 mode tap");
    INDEPENDENT.put("kernel.nf_tables", IN + "nft add table inet lt_probe");
    INDEPENDENT.put("kernel.nf_conntrack", IN + "nft -f - <<'E'\ntable inet lt_ct {\n chain c {\n  type filter hook input"
        + " priority 0;\n  ct state established accept\n }\n}\nE");
    INDEPENDENT.put("kernel.masquerade", IN + "iptables -t nat -A POSTROUTING -o lt-none -j MASQUERADE");
    INDEPENDENT.put("kernel.nft_masq", IN + "nft -f - <<'E'\ntable ip lt_nat {\n chain p {\n  type nat hook postrouting"
        + " priority 100;\n  oifname \"lt-none\" masquerade\n }\n}\nE");
    INDEPENDENT.put("kernel.xt_addrtype", IN + "iptables-legacy -t nat -A PREROUTING -m addrtype --dst-type LOCAL"
        + " -j RETURN");
    INDEPENDENT.put("kernel.xt_conntrack", IN + "iptables-legacy -A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT");
    // -m recent has no native nft translation: iptables-nft must load it through nft_compat.
    INDEPENDENT.put("kernel.nft_compat", IN + "iptables-nft -A INPUT -m recent --name lt --rcheck -j ACCEPT && "
        + IN + "nft list chain ip filter INPUT | grep -q 'xt match recent'");
    INDEPENDENT.put("kernel.iptables_legacy", IN + "iptables-legacy -L -n");
    INDEPENDENT.put("kernel.overlayfs", "d=$(mktemp -d /tmp/lt-tdoc-ovl.XXXXXX) && mkdir $d/l $d/u $d/w $d/m &&"
        + " unshare -m sh -c \"mount -t overlay lt-ovl -o lowerdir=$d/l,upperdir=$d/u,workdir=$d/w $d/m\";"
        + " rc=$?; rm -rf $d; exit $rc");
    INDEPENDENT.put("kernel.cgroup_devices", "grep -q '^devices' /proc/cgroups || test -e /sys/fs/cgroup/cgroup.controllers");
    INDEPENDENT.put("kernel.cgroup_pids", "grep -q '^pids' /proc/cgroups");
    INDEPENDENT.put("kernel.memcg", "grep -q '^memory' /proc/cgroups");
    INDEPENDENT.put("kernel.cpusets", "grep -q '^cpuset' /proc/cgroups");
    // tcpdump opens an AF_PACKET socket first; timeout's 124 means it was still capturing.
    INDEPENDENT.put("layertrace.af_packet", "ip -n " + NS + " link set lo up && " + IN
        + "timeout 0.3 tcpdump -ni lo -w /dev/null 2>/dev/null; [ $? = 124 ]");
    INDEPENDENT.put("layertrace.raw_sockets", IN + "test -e /proc/net/raw");
    INDEPENDENT.put("netfilter.iptables_backend", "iptables --version");
    INDEPENDENT.put("netfilter.split_brain", "! { [ -n \"$(iptables-legacy-save 2>/dev/null | grep '^-A')\" ] &&"
        + " [ -n \"$(nft list ruleset)\" ]; }");
    INDEPENDENT.put("netfilter.forward", "! nft list ruleset | grep -q 'hook forward.*policy drop' &&"
        + " ! iptables-legacy -S FORWARD 2>/dev/null | grep -q -- '-P FORWARD DROP'");
    INDEPENDENT.put("netfilter.docker_chains", "! iptables-legacy-save 2>/dev/null | grep -q DOCKER"
        + " || iptables --version | grep -q legacy");
    INDEPENDENT.put("sysctl.ip_forward", "[ \"$(sysctl -n net.ipv4.ip_forward)\" = 1 ]");
    INDEPENDENT.put("sysctl.bridge_nf_call_iptables", "[ \"$(sysctl -n net.bridge.bridge-nf-call-iptables)\" = 1 ]");
    INDEPENDENT.put("sysctl.rp_filter", "[ \"$(sysctl -n net.ipv4.conf.all.rp_filter)\" != 1 ] &&"
        + " [ \"$(sysctl -n net.ipv4.conf.default.rp_filter)\" != 1 ]");
    INDEPENDENT.put("sysctl.nf_conntrack", "[ $(( $(sysctl -n net.netfilter.nf_conntrack_count) * 10 ))"
        + " -lt $(( $(sysctl -n net.netfilter.nf_conntrack_max) * 9 )) ]");
    INDEPENDENT.put("devices.tun", "test -c /dev/net/tun && [ \"$(stat -c %t:%T /dev/net/tun)\" = a:c8 ]");
    INDEPENDENT.put("devices.kvm", "test -c /dev/kvm");
    INDEPENDENT.put("dns.resolv_conf", "grep '^nameserver' /etc/resolv.conf | grep -qv ' 127\\.'");
    INDEPENDENT.put("docker.daemon", "docker -H unix:///var/run/docker.sock version >/dev/null 2>&1 ||"
        + " docker -H unix:///run/docker.sock version >/dev/null 2>&1");
    INDEPENDENT.put("docker.iptables", "! grep -qE '\"iptables\" *: *false' /etc/docker/daemon.json 2>/dev/null");
    INDEPENDENT.put("docker.bridge_mtu", "! ip link show docker0 >/dev/null 2>&1 || [ $(cat /sys/class/net/docker0/mtu)"
        + " -le $(cat /sys/class/net/$(ip route show default | awk '{print $5; exit}')/mtu) ]");
    INDEPENDENT.put("layertrace.tracefs", "test -d /sys/kernel/tracing/events");
    INDEPENDENT.put("layertrace.privilege", "[ \"$(id -u)\" = 0 ]");
  }

  @BeforeAll
  static void scratchNamespace() {
    Commands.run("ip", "netns", "add", NS).orThrow();
  }

  @AfterAll
  static void removeScratchNamespace() {
    Commands.run("ip", "netns", "del", NS);
  }

  @Test
  void everyReportedStatusMatchesAnIndependentTest() {
    DoctorReport report = DoctorReport.evaluate(SystemFactsReader.read());
    assertThat(INDEPENDENT.keySet()).as("every check has an independent test")
        .containsAll(report.checks().stream().map(CheckResult::id).toList());
    StringBuilder mismatches = new StringBuilder();
    int verified = 0;
    for (CheckResult c : report.checks()) {
      if (c.status() == CheckStatus.UNKNOWN) {
        System.out.println("cross-check: " + c.id() + " unknown (" + String.join("; ", c.evidence()) + ")");
        continue;
      }
      Commands.Result r = Commands.run(List.of("bash", "-c", INDEPENDENT.get(c.id())), null, Duration.ofSeconds(20));
      boolean holds = r.exitCode() == 0;
      boolean reportedHolds = c.status() == CheckStatus.OK;
      System.out.printf("cross-check: %-32s doctor %-7s independent %s%n", c.id(), c.status().word(),
          holds ? "holds" : "fails (" + r.stderr().strip().lines().findFirst().orElse("exit " + r.exitCode()) + ")");
      if (holds != reportedHolds) {
        mismatches.append(c.id()).append(": doctor says ").append(c.status().word()).append(" (")
            .append(String.join("; ", c.evidence())).append("), independent test ")
            .append(holds ? "holds" : "fails").append(": ").append(r.stderr().strip()).append('\n');
      }
      verified++;
    }
    assertThat(mismatches.toString()).isEmpty();
    assertThat(verified).isGreaterThan(40);
  }
}
