package dev.layertrace.lab.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the guest's initramfs is made of: busybox-static for the shell and the small tools, iproute2,
 * nftables and iptables (the nft backend) with their shared libraries, the kernel modules the guest
 * needs with a trimmed {@code modules.dep} so that modprobe loads them in dependency order, the
 * libraries the host's JDK needs (the JDK itself comes over virtio-9p), and the {@code /init}.
 */
public final class GuestImageRecipe {
  /** Bump when the image's layout changes: part of the cache key. */
  public static final String VERSION = "2";

  /** The virtio-serial port name of the control channel. */
  public static final String CONTROL_PORT = "layertrace.control";

  /** The Debian packages whose files go into the image (the kernel package comes on top). */
  public static final List<String> PACKAGES = List.of("busybox-static", "dash", "iproute2", "nftables", "iptables",
      "libc6", "libstdc++6", "zlib1g");

  public static final String BUSYBOX = "/bin/busybox";
  /**
   * Debian's /bin/sh (dash), iproute2's ip, nftables' nft and the multi-call binary behind iptables-nft.
   * The shell is dash, not busybox's: Debian builds busybox-static to prefer its own applets, so its
   * shell would run busybox's small {@code ip} even where the real one is installed.
   */
  public static final List<String> TOOLS = List.of("/usr/bin/dash", "/usr/bin/ip", "/usr/sbin/nft",
      "/usr/sbin/xtables-nft-multi", "/usr/sbin/xtables-legacy-multi");
  /** The names iptables-nft answers to (links to xtables-nft-multi, as Debian's alternatives point). */
  static final List<String> XTABLES_NAMES = List.of("iptables", "iptables-save", "iptables-restore", "iptables-nft",
      "iptables-nft-save", "iptables-nft-restore", "ip6tables", "ip6tables-save", "ip6tables-restore");
  /**
   * The legacy (x_tables) names: the guest loads ip_tables for Docker-style rules, so legacy tables can
   * exist there, and layertrace reads them as on any Debian host (iptables-legacy-save).
   */
  static final List<String> XTABLES_LEGACY_NAMES = List.of("iptables-legacy", "iptables-legacy-save",
      "iptables-legacy-restore", "ip6tables-legacy", "ip6tables-legacy-save", "ip6tables-legacy-restore");
  /** Where iptables loads its match and target extensions from. */
  public static final String XTABLES_DIR = "/usr/lib/x86_64-linux-gnu/xtables";

  /**
   * The modules the guest loads at boot (their dependencies come along): the virtio-mmio transport,
   * the NIC, the control port and 9p; the lab's links; nf_tables and the xtables matches and targets
   * behind Docker-style iptables-nft rules; and what {@code doctor} checks for (tun, overlay).
   */
  public static final List<String> MODULES = List.of(
      // libcrc32c (under nf_conntrack and nf_tables) needs a crc32c implementation: a soft dependency,
      // which busybox's modprobe does not follow.
      "crc32c_generic",
      "virtio_mmio", "virtio_net", "virtio_console", "9pnet_virtio", "9p",
      "veth", "bridge", "br_netfilter", "tun", "overlay",
      "nf_conntrack", "nf_nat", "nf_tables", "nft_compat", "nft_chain_nat", "nft_nat", "nft_masq", "nft_ct",
      "nft_fib_ipv4", "nft_reject_ipv4", "nft_limit", "nft_log",
      "x_tables", "ip_tables", "iptable_filter", "iptable_nat", "xt_conntrack", "xt_MASQUERADE", "xt_nat",
      "xt_addrtype", "xt_tcpudp", "xt_comment", "xt_mark");

  /** JDK libraries a headless layertrace does not load (AWT, sound, fonts, accessibility, debugging). */
  private static final List<String> JDK_LIBS_NOT_NEEDED = List.of("libawt", "libsplashscreen", "libjawt",
      "libatk-wrapper", "libfontmanager", "libjsound", "liblcms", "libmlib_image", "libjavajpeg", "libsaproc",
      "libj2pcsc", "libjdwp", "libdt_socket");

  private GuestImageRecipe() {}

  /** What was read from the host to plan the image. */
  public record HostInputs(
      String kernelRelease,
      String modulesDep,
      String modulesAlias,
      List<String> busyboxApplets,
      Map<String, String> lddByElf,
      List<String> jdkConfFiles,
      String jdkHome) {
    public HostInputs {
      Objects.requireNonNull(kernelRelease, "kernelRelease");
      busyboxApplets = List.copyOf(busyboxApplets);
      lddByElf = Map.copyOf(lddByElf);
      jdkConfFiles = List.copyOf(jdkConfFiles);
    }
  }

  /** True for a JDK native library (file name) that the guest's JVM may load. */
  public static boolean jdkLibraryNeeded(String fileName) {
    return fileName.endsWith(".so") && JDK_LIBS_NOT_NEEDED.stream().noneMatch(fileName::startsWith);
  }

  /** The module files to copy (relative to {@code /lib/modules/RELEASE}), dependencies first. */
  public static List<String> modulePaths(KernelModules modules) {
    return modules.loadOrder(MODULES);
  }

  /** The whole image: every file, link and directory, with the generated ones' contents. */
  public static InitramfsPlan plan(HostInputs in) {
    InitramfsPlan.Builder b = InitramfsPlan.builder().exclude(in.jdkHome());
    b.text("/init", initScript(), 0755);
    for (String elf : in.lddByElf().keySet().stream().sorted().toList()) {
      b.elf(elf, in.lddByElf().get(elf));
    }
    b.symlink("/usr/bin/sh", "dash");
    for (String name : XTABLES_NAMES) {
      b.symlink("/usr/sbin/" + name, "xtables-nft-multi");
    }
    for (String name : XTABLES_LEGACY_NAMES) {
      b.symlink("/usr/sbin/" + name, "xtables-legacy-multi");
    }
    b.hostFile(BUSYBOX, 0755);
    for (String applet : in.busyboxApplets()) {
      // Real tools win over busybox's smaller ones of the same name (ip above all).
      if (!applet.isEmpty() && !applet.contains("/") && !b.has("/usr/bin/" + applet) && !b.has("/usr/sbin/" + applet)) {
        b.symlink("/usr/bin/" + applet, "busybox");
      }
    }
    // The kernel asks /sbin/modprobe for modules it needs later (nft expressions, xt targets).
    if (!b.has("/usr/sbin/modprobe")) {
      b.symlink("/usr/sbin/modprobe", "../bin/busybox");
    }
    KernelModules modules = KernelModules.parse(in.modulesDep());
    List<String> paths = modulePaths(modules);
    String moduleDir = "/lib/modules/" + in.kernelRelease();
    for (String p : paths) {
      b.hostFile(moduleDir + "/" + p, 0644);
    }
    b.text(moduleDir + "/modules.dep", modules.depFileFor(paths), 0644);
    b.text(moduleDir + "/modules.alias", KernelModules.aliasFileFor(in.modulesAlias(), paths), 0644);
    for (String conf : in.jdkConfFiles()) {
      b.hostFile(conf, 0644);
    }
    b.text("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
    b.text("/etc/group", "root:x:0:\n", 0644);
    b.text("/etc/hosts", "127.0.0.1 localhost\n", 0644);
    b.text("/etc/hostname", "lt-guest\n", 0644);
    return b.build();
  }

  /** The guest's {@code /init}. */
  public static String initScript() {
    try (InputStream in = GuestImageRecipe.class.getResourceAsStream("guest-init.sh")) {
      if (in == null) {
        throw new IllegalStateException("guest-init.sh is missing from the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.replace("@MODULES@", String.join(" ", MODULES)).replace("@CONTROL_PORT@", CONTROL_PORT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
