package dev.k3sbox.core.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The root filesystem of a server image, as a tar that a {@code FROM scratch} Dockerfile ADDs.
 * Building the tree here, links included, means the Dockerfile needs no RUN step, so image builds
 * work where build containers cannot get a network (the seed's sandbox).
 */
final class RootFilesystem {
  /** Links to the multi-call server binary, as in rancher/k3s. */
  static final List<String> K3S_LINKS = List.of("kubectl", "crictl", "ctr", "k3s-server");

  static final List<String> STANDIN_LINKS =
      List.of("kubectl", "kube-apiserver", "kube-controller-manager");

  /**
   * What rancher/k3s's image ({@code package/Dockerfile}) ships besides the binary and a server
   * reads: the time zone database (the API server validates a CronJob's {@code timeZone} against
   * it) and the CA bundle. Copied from this host when it has them; the stand-in embeds the time
   * zone database in its binary instead.
   */
  static final List<Path> K3S_HOST_FILES =
      List.of(Path.of("/usr/share/zoneinfo"), Path.of("/etc/ssl/certs/ca-certificates.crt"));

  private RootFilesystem() {}

  static void write(
      OutputStream target,
      Path server,
      List<String> serverLinks,
      Path busybox,
      List<String> applets,
      List<Path> hostFiles)
      throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(target)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (String dir :
          List.of(
              "bin/",
              "etc/",
              "etc/rancher/",
              "etc/rancher/k3s/",
              "var/",
              "var/lib/",
              "var/lib/rancher/",
              "var/lib/rancher/k3s/",
              "var/lib/kubelet/",
              "run/",
              "root/")) {
        directory(tar, dir, 0755);
      }
      directory(tar, "tmp/", 01777);
      file(tar, "bin/k3s", server, 0755);
      file(tar, "bin/busybox", busybox, 0755);
      for (String link : serverLinks) {
        symlink(tar, "bin/" + link, "k3s");
      }
      for (String applet : applets) {
        if (!applet.equals("busybox") && !serverLinks.contains(applet)) {
          symlink(tar, "bin/" + applet, "busybox");
        }
      }
      text(
          tar,
          "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
      text(tar, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
      for (Path host : hostFiles) {
        if (Files.exists(host)) {
          copyTree(tar, host);
        }
      }
      tar.finish();
    }
  }

  /** {@code root} (a file or a folder) at the same path in the image, parent folders included. */
  private static void copyTree(TarArchiveOutputStream tar, Path root) throws IOException {
    Path parent = root.getParent();
    StringBuilder prefix = new StringBuilder();
    for (Path part : parent) {
      prefix.append(part).append('/');
      if (!List.of("etc/", "tmp/", "var/").contains(prefix.toString())) {
        directory(tar, prefix.toString(), 0755);
      }
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String name = p.toString().substring(1); // relative to /
        if (Files.isSymbolicLink(p)) {
          symlink(tar, name, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
          directory(tar, name + "/", 0755);
        } else if (Files.isRegularFile(p)) {
          file(tar, name, p, 0644);
        }
      }
    }
  }

  private static void directory(TarArchiveOutputStream tar, String name, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, Path source, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(Files.size(source));
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
    tar.putArchiveEntry(e);
    Files.copy(source, tar);
    tar.closeArchiveEntry();
  }

  private static void text(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | 0644);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }
}
