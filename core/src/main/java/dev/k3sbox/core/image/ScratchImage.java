package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.engine.ImageStore;
import dev.k3sbox.core.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A server image built {@code FROM scratch} around one binary: its root filesystem ({@link
 * RootFilesystem}, with Debian's busybox-static for {@code docker exec} debugging) and a Dockerfile
 * that ADDs it, sent to the engine as one build context. No RUN step, so no build container needs a
 * network.
 */
final class ScratchImage {
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private final ImageStore images;
  private final StateDir stateDir;
  private final Progress progress;

  ScratchImage(ImageStore images, StateDir stateDir, Progress progress) {
    this.images = images;
    this.stateDir = stateDir;
    this.progress = progress;
  }

  /**
   * Builds {@code tag}: {@code server} at {@code /bin/k3s} with {@code links} to it, the host's
   * {@code hostFiles} at their own paths, and {@code labels}.
   */
  void build(
      String tag,
      Path server,
      List<String> links,
      List<Path> hostFiles,
      Map<String, String> labels) {
    Path busybox;
    // One busybox install at a time: two versions of a matrix building at once would both run
    // apt-get, and the second would fail on dpkg's lock.
    synchronized (ScratchImage.class) {
      busybox = BusyboxStatic.locate(BUSYBOX, progress);
    }
    List<String> applets = BusyboxStatic.applets(busybox);
    // A build context of the tag's own: two images built at once (a matrix on a fresh machine)
    // must not write each other's root filesystem.
    Path dir =
        stateDir.ensure(
            stateDir.build().resolve("context-" + tag.replaceAll("[^A-Za-z0-9._-]", "_")));
    Path rootfs = dir.resolve("rootfs.tar");
    progress.step("building image " + tag);
    try {
      try (OutputStream out = Files.newOutputStream(rootfs)) {
        RootFilesystem.write(out, server, links, busybox, applets, hostFiles);
      }
      Path context = dir.resolve("context.tar");
      writeContext(context, dockerfile(labels), rootfs);
      try (InputStream in = Files.newInputStream(context)) {
        images.build(in, tag);
      }
      Files.deleteIfExists(context);
      Files.deleteIfExists(rootfs);
    } catch (IOException e) {
      throw new K3sboxException(
          Failure.IMAGE, "cannot build image " + tag + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new K3sboxException(
          Failure.IMAGE, "docker could not build image " + tag + ": " + e.getMessage(), e);
    }
  }

  /** The Dockerfile: the root filesystem, {@code labels}, and k3s's entrypoint and volume. */
  static String dockerfile(Map<String, String> labels) {
    StringBuilder dockerfile = new StringBuilder("FROM scratch\nADD rootfs.tar /\n");
    labels.forEach(
        (k, v) -> dockerfile.append("LABEL ").append(k).append('=').append(quote(v)).append('\n'));
    dockerfile.append(
        "ENV PATH=/bin\nVOLUME /var/lib/rancher/k3s\nENTRYPOINT [\"/bin/k3s\"]\nCMD [\"server\"]\n");
    return dockerfile.toString();
  }

  /** The build context: the Dockerfile and the root filesystem beside it. */
  private static void writeContext(Path context, String dockerfile, Path rootfs)
      throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(context))) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] df = dockerfile.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
      e.setSize(df.length);
      tar.putArchiveEntry(e);
      tar.write(df);
      tar.closeArchiveEntry();
      TarArchiveEntry r = new TarArchiveEntry("rootfs.tar");
      r.setSize(Files.size(rootfs));
      tar.putArchiveEntry(r);
      Files.copy(rootfs, tar);
      tar.closeArchiveEntry();
    }
  }

  private static String quote(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
