package dev.layertrace.sys;

import dev.layertrace.ExitCode;
import dev.layertrace.LayertraceException;
import dev.layertrace.lab.qemu.CpioNewcWriter;
import dev.layertrace.lab.qemu.GuestImageRecipe;
import dev.layertrace.lab.qemu.InitramfsEntry;
import dev.layertrace.lab.qemu.InitramfsPlan;
import dev.layertrace.lab.qemu.KernelImage;
import dev.layertrace.lab.qemu.SharedLibraries;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the guest's kernel and initramfs from the Debian packages installed on this host (see
 * {@link GuestImageRecipe}) and keeps them under {@code /var/cache/layertrace/qemu/KEY}, the key being
 * a hash of the packages' versions, the JDK and the recipe: an unchanged host reuses the image.
 */
public final class QemuImageBuilder {
  /** The default cache folder. */
  public static final Path CACHE = Path.of("/var/cache/layertrace/qemu");

  private final Path cacheRoot;

  public QemuImageBuilder(Path cacheRoot) {
    this.cacheRoot = cacheRoot;
  }

  /** A built image. */
  public record GuestImage(Path kernel, Path initrd, String kernelRelease, String kernelPackage, String key,
      boolean fromCache, Duration took) {}

  /** A Debian kernel on this host whose modules include virtio-9p. */
  public record DebianKernel(String release, Path vmlinuz, Path modules, String packageName) {}

  /** Builds the image for a guest whose JDK is {@code jdkHome}, or returns the cached one. */
  public GuestImage build(Path jdkHome) {
    long t0 = System.nanoTime();
    Commands.require("ldd", "libc-bin");
    Path busybox = Path.of(GuestImageRecipe.BUSYBOX);
    if (!Files.isExecutable(busybox) || !Commands.run("dpkg-query", "-W", "busybox-static").ok()) {
      throw LayertraceException.missingFeature("the QEMU lab's guest needs a static busybox: install the busybox-static"
          + " package (apt-get install busybox-static)");
    }
    for (String tool : GuestImageRecipe.TOOLS) {
      if (!Files.isExecutable(Path.of(tool))) {
        throw LayertraceException.missingFeature("the QEMU lab's guest needs " + tool + ": install the iproute2,"
            + " nftables and iptables packages");
      }
    }
    DebianKernel kernel = kernel().orElseThrow(() -> LayertraceException.missingFeature(
        "no Debian kernel with virtio-9p modules is installed: install the linux-image-amd64 package"
            + " (apt-get install linux-image-amd64)"));
    String key = key(kernel, jdkHome);
    Path dir = cacheRoot.resolve(key);
    Path initrd = dir.resolve("initrd.gz");
    Optional<Path> cachedKernel = Stream.of("vmlinux", "vmlinuz").map(dir::resolve).filter(Files::isRegularFile)
        .findFirst();
    if (cachedKernel.isPresent() && Files.isRegularFile(initrd)) {
      return new GuestImage(cachedKernel.get(), initrd, kernel.release(), kernel.packageName(), key, true,
          Duration.ofNanos(System.nanoTime() - t0));
    }
    try {
      Files.createDirectories(cacheRoot);
      Path tmp = Files.createTempDirectory(cacheRoot, "building-");
      try {
        InitramfsPlan plan = GuestImageRecipe.plan(inputs(kernel, jdkHome));
        writeInitramfs(plan, tmp.resolve("initrd.gz"));
        if (!unpackKernel(kernel.vmlinuz(), tmp.resolve("vmlinux"))) {
          Files.copy(kernel.vmlinuz(), tmp.resolve("vmlinuz"));
        }
        Files.writeString(tmp.resolve("packages"), versions(kernel) + "jdk " + jdkHome + "\n");
        try {
          Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // Another build of the same key won the race: its image is as good as ours.
          if (!Files.isRegularFile(initrd)) {
            throw e;
          }
        }
      } finally {
        deleteTree(tmp);
      }
      removeOtherImages(key);
    } catch (IOException e) {
      throw new LayertraceException(ExitCode.INTERNAL, "cannot build the guest image in " + cacheRoot + ": "
          + e.getMessage(), e);
    }
    Path booted = Files.isRegularFile(dir.resolve("vmlinux")) ? dir.resolve("vmlinux") : dir.resolve("vmlinuz");
    return new GuestImage(booted, initrd, kernel.release(), kernel.packageName(), key, false,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * The Debian kernel to boot: one under /boot whose modules include 9pnet_virtio (Debian's cloud
   * kernels lack 9p), the generic flavour preferred, the newest first.
   */
  public static Optional<DebianKernel> kernel() {
    Path modulesRoot = Path.of("/lib/modules");
    if (!Files.isDirectory(modulesRoot)) {
      return Optional.empty();
    }
    List<DebianKernel> found = new ArrayList<>();
    try (Stream<Path> releases = Files.list(modulesRoot)) {
      for (Path m : releases.sorted(Comparator.reverseOrder()).toList()) {
        String release = m.getFileName().toString();
        Path vmlinuz = Path.of("/boot", "vmlinuz-" + release);
        Path dep = m.resolve("modules.dep");
        if (Files.isRegularFile(vmlinuz) && Files.isRegularFile(dep) && Files.readString(dep).contains("/9pnet_virtio.ko")) {
          Commands.Result owner = Commands.run("dpkg-query", "-S", vmlinuz.toString());
          String pkg = owner.ok() ? owner.stdout().substring(0, owner.stdout().indexOf(':')) : "linux-image-" + release;
          found.add(new DebianKernel(release, vmlinuz, m, pkg));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return found.stream().filter(k -> !k.release().contains("cloud")).findFirst().or(() -> found.stream().findFirst());
  }

  private static GuestImageRecipe.HostInputs inputs(DebianKernel kernel, Path jdkHome) throws IOException {
    List<String> elves = new ArrayList<>(GuestImageRecipe.TOOLS);
    Path xtables = Path.of(GuestImageRecipe.XTABLES_DIR);
    if (Files.isDirectory(xtables)) {
      try (Stream<Path> ext = Files.list(xtables)) {
        ext.map(Path::toString).filter(p -> p.endsWith(".so")).sorted().forEach(elves::add);
      }
    }
    elves.add(jdkHome.resolve("bin/java").toString());
    elves.add(jdkHome.resolve("lib/server/libjvm.so").toString());
    try (Stream<Path> libs = Files.list(jdkHome.resolve("lib"))) {
      libs.filter(p -> GuestImageRecipe.jdkLibraryNeeded(p.getFileName().toString())).map(Path::toString).sorted()
          .forEach(elves::add);
    }
    Map<String, String> ldd = new LinkedHashMap<>();
    List<String> argv = new ArrayList<>(List.of("ldd"));
    argv.addAll(elves);
    Commands.Result r = Commands.run(argv, null, Duration.ofSeconds(60));
    // ldd exits 1 when one of many files is not dynamic (some xtables modules): the sections still say it.
    Map<String, String> sections = SharedLibraries.split(r.stdout());
    for (String elf : elves) {
      String section = sections.get(elf);
      if (section == null) {
        throw new LayertraceException(ExitCode.INTERNAL, "ldd said nothing about " + elf + ": " + r.stderr().strip());
      }
      ldd.put(elf, section); // the JDK's own files are left out by the recipe: they come over 9p
    }
    Commands.Result list = Commands.run(GuestImageRecipe.BUSYBOX, "--list");
    return new GuestImageRecipe.HostInputs(kernel.release(),
        Files.readString(kernel.modules().resolve("modules.dep")),
        Files.readString(kernel.modules().resolve("modules.alias")),
        list.stdout().lines().toList(), ldd, jdkConfFiles(jdkHome), jdkHome.toString());
  }

  /**
   * Files outside the JDK that its links point to (Debian keeps jvm.cfg and the security settings in
   * /etc/java-N-openjdk): the guest gets them in the image, since only the JDK's folder is shared.
   */
  static List<String> jdkConfFiles(Path jdkHome) throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(jdkHome)) {
      for (Path p : all.filter(Files::isSymbolicLink).toList()) {
        Path target = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        if (target.startsWith("/etc") && Files.isRegularFile(target)) {
          files.add(target.toString());
        }
      }
    }
    return files.stream().distinct().sorted().toList();
  }

  /**
   * Unpacks the kernel from the bzImage into an ELF file that QEMU boots through its PVH entry (see
   * {@link KernelImage}); false when this bzImage cannot be unpacked here (the bzImage is booted then).
   * xz (Debian's choice) needs the xz tool; busybox's unxz lacks the x86 filter the kernel uses.
   */
  static boolean unpackKernel(Path bzImage, Path target) throws IOException {
    byte[] image = Files.readAllBytes(bzImage);
    Optional<KernelImage.Payload> payload = KernelImage.payload(image);
    if (payload.isEmpty()) {
      return false;
    }
    KernelImage.Payload p = payload.get();
    byte[] compressed = java.util.Arrays.copyOfRange(image, p.offset(), p.offset() + p.length());
    if (p.compression() == KernelImage.Compression.GZIP) {
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(compressed));
          OutputStream out = Files.newOutputStream(target)) {
        in.transferTo(out);
      } catch (IOException e) {
        // the kernel's gzip stream carries the size trailer; what was written is checked below
      }
    } else if (p.compression() == KernelImage.Compression.XZ && Commands.which("xz").isPresent()) {
      Path packed = target.resolveSibling("vmlinux.xz");
      Files.write(packed, compressed);
      try {
        // xz exits 1 on the size trailer after the stream; the output is checked below instead.
        Process x = new ProcessBuilder(Commands.which("xz").get().toString(), "-dc")
            .redirectInput(packed.toFile()).redirectOutput(target.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!x.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
          x.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        Files.deleteIfExists(packed);
      }
    } else {
      return false;
    }
    byte[] head = new byte[8];
    try (java.io.InputStream in = Files.newInputStream(target)) {
      int n = in.readNBytes(head, 0, head.length);
      if (n == head.length && KernelImage.isElf64(head) && Files.size(target) == p.unpackedSize()) {
        return true;
      }
    } catch (IOException e) {
      // not unpacked: fall through
    }
    Files.deleteIfExists(target);
    return false;
  }

  private static void writeInitramfs(InitramfsPlan plan, Path target) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        GZIPOutputStream gz = new GZIPOutputStream(file, 1 << 16);
        CpioNewcWriter cpio = new CpioNewcWriter(gz)) {
      for (InitramfsEntry e : plan.entries()) {
        byte[] content = e instanceof InitramfsEntry.HostFile f ? Files.readAllBytes(Path.of(f.source())) : null;
        cpio.entry(e, content);
      }
    }
  }

  private String key(DebianKernel kernel, Path jdkHome) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(GuestImageRecipe.VERSION.getBytes(StandardCharsets.UTF_8));
      sha.update(versions(kernel).getBytes(StandardCharsets.UTF_8));
      sha.update(GuestImageRecipe.initScript().getBytes(StandardCharsets.UTF_8));
      sha.update(String.join(",", GuestImageRecipe.MODULES).getBytes(StandardCharsets.UTF_8));
      sha.update(String.join(",", GuestImageRecipe.TOOLS).getBytes(StandardCharsets.UTF_8));
      sha.update(jdkHome.toString().getBytes(StandardCharsets.UTF_8));
      Path release = jdkHome.resolve("release");
      if (Files.isRegularFile(release)) {
        sha.update(Files.readAllBytes(release));
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code package=version} lines of the packages the image is made of. */
  private static String versions(DebianKernel kernel) {
    List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package}=${Version}\\n"));
    argv.addAll(GuestImageRecipe.PACKAGES);
    argv.add(kernel.packageName());
    return Commands.run(argv, null, Duration.ofSeconds(20)).stdout();
  }

  /** Older images (other package versions) are of no further use. */
  private void removeOtherImages(String key) throws IOException {
    try (Stream<Path> dirs = Files.list(cacheRoot)) {
      for (Path d : dirs.toList()) {
        if (!d.getFileName().toString().equals(key) && !d.getFileName().toString().startsWith("building-")) {
          deleteTree(d);
        }
      }
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }
}
