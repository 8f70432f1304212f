package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.host.HostCommands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's busybox-static: the shell and core tools of k3sbox's images. It must be static, since a
 * {@code FROM scratch} image has no C library for a dynamic one to load.
 */
final class BusyboxStatic {
  private BusyboxStatic() {}

  static Path locate(Path busybox, Progress progress) {
    if (!Files.isExecutable(busybox) && HostCommands.canInstallPackages()) {
      progress.step("installing busybox-static with apt-get (the images' shell)");
      HostCommands.run(
          List.of("apt-get", "install", "-y", "-q", "busybox-static"), Failure.IMAGE, "");
    }
    try {
      if (!Files.isExecutable(busybox) || isDynamicElf(busybox)) {
        throw new K3sboxException(
            Failure.IMAGE,
            busybox
                + " is missing or not statically linked; run `sudo apt-get install -y busybox-static`");
      }
    } catch (IOException e) {
      throw new K3sboxException(Failure.IMAGE, "cannot read " + busybox + ": " + e.getMessage(), e);
    }
    return busybox;
  }

  static List<String> applets(Path busybox) {
    return HostCommands.run(List.of(busybox.toString(), "--list"), Failure.IMAGE, "")
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Whether a 64-bit little-endian ELF file names a program interpreter (PT_INTERP). */
  static boolean isDynamicElf(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] ident = new byte[16];
      f.readFully(ident);
      if (ident[0] != 0x7f || ident[1] != 'E' || ident[4] != 2) {
        return false; // not a 64-bit ELF: let the container runtime judge
      }
      f.seek(0x20);
      long phoff = Long.reverseBytes(f.readLong());
      f.seek(0x36);
      int phentsize = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
      int phnum = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
      for (int i = 0; i < phnum; i++) {
        f.seek(phoff + (long) i * phentsize);
        if (Integer.reverseBytes(f.readInt()) == 3) {
          return true;
        }
      }
      return false;
    }
  }
}
