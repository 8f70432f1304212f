package dev.k3sbox.core.doctor;

import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.DaemonInfo;
import dev.k3sbox.core.docker.DockerDaemon;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The rows about the daemon itself, before any probe: whether one answers (or, with {@code --fix},
 * can be started), its storage driver, and the filesystem under its root directory.
 */
final class DaemonChecks {
  private final DockerDaemon daemon;
  private final Progress progress;

  DaemonChecks(DockerDaemon daemon, Progress progress) {
    this.daemon = daemon;
    this.progress = progress;
  }

  /** Adds the daemon's row to {@code checks}; the daemon where one answers. */
  Optional<DaemonInfo> connect(boolean fix, List<Check> checks) {
    progress.step("looking for a Docker daemon at " + daemon.host());
    Optional<DaemonInfo> info;
    if (fix) {
      try {
        info = Optional.of(daemon.ensure(true));
      } catch (K3sboxException e) {
        checks.add(Check.fail(CheckId.DAEMON, e.getMessage()));
        return Optional.empty();
      }
    } else {
      info = daemon.find();
      if (info.isEmpty()) {
        checks.add(
            Check.fail(
                CheckId.DAEMON,
                "no Docker daemon answers at "
                    + daemon.host()
                    + "; run `k3sbox doctor --fix` to start one"));
        return Optional.empty();
      }
    }
    DaemonInfo d = info.get();
    checks.add(
        Check.ok(
            CheckId.DAEMON,
            "Docker "
                + d.serverVersion()
                + ", API "
                + d.apiVersion()
                + " at "
                + d.host()
                + (d.isStartedByK3sbox() ? " (started by k3sbox)" : "")));
    return info;
  }

  /** The storage driver's row and the root filesystem's. */
  static List<Check> storage(DaemonInfo info) {
    Path root = Path.of(info.dockerRootDir());
    boolean remote = !info.host().startsWith("unix://");
    String where = remote ? " (read on this machine; DOCKER_HOST is remote)" : "";
    Optional<HostFacts.Mount> mount = HostFacts.mountOf(root);
    Check fs =
        mount
            .map(
                m ->
                    HostFacts.overlayImpossibleOn(m.type())
                        ? Check.warn(
                            CheckId.ROOT_FILESYSTEM,
                            m.type()
                                + " at "
                                + m.mountPoint()
                                + " holds "
                                + root
                                + "; overlayfs cannot use it"
                                + where)
                        : Check.ok(
                            CheckId.ROOT_FILESYSTEM,
                            m.type()
                                + " ("
                                + m.device()
                                + " at "
                                + m.mountPoint()
                                + ") holds "
                                + root
                                + where))
            .orElse(Check.warn(CheckId.ROOT_FILESYSTEM, "no mount found for " + root + where));

    String driver = info.storageDriver();
    String fsType = mount.map(HostFacts.Mount::type).orElse("this filesystem");
    Check storage;
    if ("vfs".equals(driver)) {
      storage =
          Check.warn(
              CheckId.STORAGE_DRIVER,
              "vfs: every container copies its whole image; "
                  + (mount.isPresent() && HostFacts.overlayImpossibleOn(fsType)
                      ? "overlay2 cannot mount on " + fsType
                      : "overlay2 may work on "
                          + fsType
                          + ": restart dockerd with"
                          + " --storage-driver=overlay2"));
    } else {
      storage = Check.ok(CheckId.STORAGE_DRIVER, driver + " (copy-on-write layers)");
    }
    return List.of(storage, fs);
  }
}
