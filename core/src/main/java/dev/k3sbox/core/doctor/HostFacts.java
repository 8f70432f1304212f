package dev.k3sbox.core.doctor;

import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.host.PortCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the host itself says, read from {@code /proc} and {@code /sys} rather than asked of Docker:
 * the daemon reports its storage driver but not the filesystem under it, which decides whether
 * overlay2 could work at all.
 */
final class HostFacts {
  private HostFacts() {}

  /** A mount from {@code /proc/mounts}. */
  record Mount(String device, String mountPoint, String type) {}

  /**
   * The mount holding {@code path}: the entry with the longest mount point that is a prefix of it
   * (the last one wins when mounts are stacked, as the kernel shows the newest last).
   */
  static Optional<Mount> mountOf(Path path, List<String> procMounts) {
    String target = path.toAbsolutePath().normalize().toString();
    Mount best = null;
    for (String line : procMounts) {
      String[] f = line.split(" ");
      if (f.length < 3) {
        continue;
      }
      String point = unescape(f[1]);
      boolean contains =
          point.equals("/") || target.equals(point) || target.startsWith(point + "/");
      if (contains && (best == null || point.length() >= best.mountPoint().length())) {
        best = new Mount(f[0], point, f[2]);
      }
    }
    return Optional.ofNullable(best);
  }

  static Optional<Mount> mountOf(Path path) {
    try {
      return mountOf(path, Files.readAllLines(Path.of("/proc/mounts")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Filesystems on which overlayfs cannot put its upper directory (or which gVisor fakes). */
  static boolean overlayImpossibleOn(String fsType) {
    return fsType.equals("9p") || fsType.equals("overlay") || fsType.startsWith("fuse");
  }

  /** "v2", "v1 (hybrid …)" or "v1", from the layout of {@code cgroupRoot}. */
  static Check cgroup(Path cgroupRoot) {
    if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
      return Check.ok(CheckId.CGROUP, "v2 (unified hierarchy at " + cgroupRoot + ")");
    }
    if (Files.exists(cgroupRoot.resolve("unified").resolve("cgroup.controllers"))) {
      return Check.ok(
          CheckId.CGROUP, "v1 (hybrid: v2 mounted at " + cgroupRoot.resolve("unified") + ")");
    }
    if (Files.isDirectory(cgroupRoot) && Files.exists(cgroupRoot.resolve("memory"))) {
      return Check.ok(CheckId.CGROUP, "v1");
    }
    // A control plane without an agent needs no cgroup controllers; a kubelet would.
    return Check.warn(
        CheckId.CGROUP, "no cgroup hierarchy at " + cgroupRoot + "; only a server without agent");
  }

  static Check boundingSet(Optional<Capabilities> caps) {
    if (caps.isEmpty()) {
      return Check.warn(
          CheckId.CAPABILITIES_BOUNDING, "no CapBnd in /proc/self/status; cannot tell");
    }
    Capabilities c = caps.get();
    int total = c.lastCap() + 1;
    if (c.isFull()) {
      return Check.ok(CheckId.CAPABILITIES_BOUNDING, "all " + total + " capabilities");
    }
    return Check.warn(
        CheckId.CAPABILITIES_BOUNDING,
        c.present().size()
            + " of "
            + total
            + "; missing "
            + String.join(", ", c.missing())
            + " (--privileged asks for all of them)");
  }

  /** Whether {@code up} could listen on {@code port} on the loopback address now. */
  static Check apiPort(int port) {
    return PortCheck.whyBusy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .map(
            reason ->
                Check.warn(
                    CheckId.API_PORT,
                    "127.0.0.1:"
                        + port
                        + " is in use ("
                        + reason
                        + "); a cluster may already run there, or give `up` another API port"))
        .orElse(Check.ok(CheckId.API_PORT, "127.0.0.1:" + port + " is free"));
  }

  static final long GIB = 1L << 30;

  /** Free space under the Docker root: vfs copies each image per container, so it goes fast. */
  static Check freeDisk(Path dockerRoot) {
    long free;
    try {
      free = Files.getFileStore(existingAncestor(dockerRoot)).getUsableSpace();
    } catch (IOException e) {
      return Check.warn(CheckId.FREE_DISK, "cannot read free space of " + dockerRoot + ": " + e);
    }
    return freeDisk(dockerRoot, free);
  }

  static Check freeDisk(Path dockerRoot, long freeBytes) {
    String detail = String.format("%.1f GiB free under %s", freeBytes / (double) GIB, dockerRoot);
    if (freeBytes < GIB) {
      return Check.fail(
          CheckId.FREE_DISK, detail + "; a k3s server needs about 1 GiB, free some space");
    }
    if (freeBytes < 5 * GIB) {
      return Check.warn(CheckId.FREE_DISK, detail + "; tight for vfs, which copies every layer");
    }
    return Check.ok(CheckId.FREE_DISK, detail);
  }

  private static Path existingAncestor(Path path) {
    Path p = path.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Path.of("/") : p;
  }

  /** /proc/mounts escapes spaces and the like as octal ({@code \040}). */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\'
          && i + 4 <= field.length()
          && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
