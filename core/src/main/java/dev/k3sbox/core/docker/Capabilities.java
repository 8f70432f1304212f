package dev.k3sbox.core.docker;

import com.github.dockerjava.api.model.Capability;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Linux capabilities of a capability mask such as {@code CapBnd} in {@code /proc/self/status}.
 * runc's {@code --privileged} asks for every capability the kernel knows; a sandbox whose bounding
 * set lacks one (gVisor lacks {@code sys_resource}) refuses it with "unable to apply caps", while
 * asking for exactly the bounding set works.
 */
public record Capabilities(BigInteger mask, int lastCap) {
  /** Kernel names by bit number, as in {@code linux/capability.h}. */
  static final List<String> NAMES =
      List.of(
          "chown",
          "dac_override",
          "dac_read_search",
          "fowner",
          "fsetid",
          "kill",
          "setgid",
          "setuid",
          "setpcap",
          "linux_immutable",
          "net_bind_service",
          "net_broadcast",
          "net_admin",
          "net_raw",
          "ipc_lock",
          "ipc_owner",
          "sys_module",
          "sys_rawio",
          "sys_chroot",
          "sys_ptrace",
          "sys_pacct",
          "sys_admin",
          "sys_boot",
          "sys_nice",
          "sys_resource",
          "sys_time",
          "sys_tty_config",
          "mknod",
          "lease",
          "audit_write",
          "audit_control",
          "setfcap",
          "mac_override",
          "mac_admin",
          "syslog",
          "wake_alarm",
          "block_suspend",
          "audit_read",
          "perfmon",
          "bpf",
          "checkpoint_restore");

  /** Decodes a hex mask like {@code 000001fffeffffff}; {@code lastCap} is the kernel's highest. */
  public static Capabilities fromHex(String hex, int lastCap) {
    BigInteger mask = new BigInteger(hex.strip(), 16);
    // A mask naming a higher bit than cap_last_cap says proves the kernel knows it.
    return new Capabilities(mask, Math.max(lastCap, mask.bitLength() - 1));
  }

  /** The bounding set of this process, read from {@code /proc}; empty where there is none. */
  public static Optional<Capabilities> ofThisProcess() {
    return read(Path.of("/proc/self/status"), Path.of("/proc/sys/kernel/cap_last_cap"));
  }

  static Optional<Capabilities> read(Path status, Path capLastCap) {
    try {
      int last = NAMES.size() - 1;
      if (Files.isReadable(capLastCap)) {
        // Not readString: some kernels (gVisor) report a size for proc files that truncates it.
        last = Integer.parseInt(String.join("", Files.readAllLines(capLastCap)).strip());
      }
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("CapBnd:")) {
          return Optional.of(fromHex(line.substring("CapBnd:".length()), last));
        }
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The names of the capabilities in the mask. */
  public List<String> present() {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit <= lastCap; bit++) {
      if (mask.testBit(bit)) {
        names.add(nameOf(bit));
      }
    }
    return names;
  }

  /** The capabilities the kernel knows but the mask lacks: what {@code --privileged} trips on. */
  public List<String> missing() {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit <= lastCap; bit++) {
      if (!mask.testBit(bit)) {
        names.add(nameOf(bit));
      }
    }
    return names;
  }

  public boolean isFull() {
    return missing().isEmpty();
  }

  private static final Pattern UNKNOWN_CAPABILITY =
      Pattern.compile("unknown capability: \\W*(?:CAP_)?([A-Z_]+)");

  /**
   * The capability named in "invalid CapAdd: unknown capability: \"CAP_PERFMON\"": an older daemon
   * refuses capabilities newer than itself, so callers drop it and retry.
   */
  public static Optional<Capability> unknownToDaemon(String daemonError) {
    Matcher m = UNKNOWN_CAPABILITY.matcher(daemonError);
    return m.find() ? dockerConstant(m.group(1)) : Optional.empty();
  }

  /** {@link #unknownToDaemon} as the capability's name ({@code PERFMON}). */
  public static Optional<String> nameUnknownToDaemon(String daemonError) {
    return unknownToDaemon(daemonError).map(Capability::name);
  }

  /** The names of {@link #asDockerCapabilities()}: what a container create may ask for. */
  public List<String> askable() {
    return asDockerCapabilities().stream().map(Capability::name).toList();
  }

  /** The docker-java constants for {@link #present()}, skipping names docker-java lacks. */
  public List<Capability> asDockerCapabilities() {
    return present().stream().flatMap(name -> dockerConstant(name).stream()).toList();
  }

  /**
   * The names in {@link #present()} that docker-java has no constant for: the daemon would not know
   * them either, so they cannot be asked for.
   */
  public List<String> unknownToDockerJava() {
    return present().stream().filter(name -> dockerConstant(name).isEmpty()).toList();
  }

  private static Optional<Capability> dockerConstant(String name) {
    try {
      return Optional.of(Capability.valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String nameOf(int bit) {
    return bit < NAMES.size() ? NAMES.get(bit) : "cap_" + bit;
  }
}
