package dev.k3sbox.core.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.k3sbox.core.ExitCode;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DaemonError;
import dev.k3sbox.core.docker.DaemonInfo;
import dev.k3sbox.core.docker.DockerClients;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.ImageResolver;
import dev.k3sbox.core.image.ServerImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Measures what Docker can do in this sandbox, as the seed experiment did by hand, and says which
 * privilege profile and network mode {@code up} will use. Probes run in parallel, from a local
 * image (never a pull), and everything they create is removed, also on Ctrl-C.
 */
public final class Doctor {
  /**
   * Repositories tried for the probe image, in this order. Any of them with {@code /bin/sh} serves
   * for probing, so this is not the order {@code up} prefers: that is {@link ImageCatalog}'s.
   */
  static final List<String> PROBE_IMAGES =
      List.of(
          ImageCatalog.STANDIN_REPOSITORY + ":",
          ImageCatalog.K3S_REPOSITORY + ":",
          ImageCatalog.RANCHER_REPOSITORY + ":");

  /** A tiny local image with a shell, for sandboxes whose server image has none. */
  static final String FALLBACK_PROBE_IMAGE = "k3sbox/busybox:local";

  static final int API_PORT = 6443;
  private static final int THREADS = 4;
  private static final Duration PROBES_TIMEOUT = Duration.ofMinutes(4);

  /**
   * @param fix start dockerd (installing docker.io when root on apt) if none answers
   * @param image probe with this local image and treat it as the one {@code up} runs; null to
   *     choose
   */
  public record Options(boolean fix, String image) {}

  private final DockerDaemon daemon;
  private final Progress progress;

  public Doctor(DockerDaemon daemon, Progress progress) {
    this.daemon = daemon;
    this.progress = progress;
  }

  public DoctorReport run(Options options) {
    List<Check> checks = new ArrayList<>();
    checks.add(HostFacts.cgroup(Path.of("/sys/fs/cgroup")));
    Optional<Capabilities> bounding = Capabilities.ofThisProcess();
    checks.add(HostFacts.boundingSet(bounding));
    checks.add(HostFacts.apiPort(API_PORT));

    Optional<DaemonInfo> found = connect(options.fix(), checks);
    if (found.isEmpty()) {
      return Recommender.decide(checks, null);
    }
    DaemonInfo info = found.get();
    checks.addAll(storage(info));
    checks.add(HostFacts.freeDisk(Path.of(info.dockerRootDir())));

    DockerClient docker = DockerClients.connect(info.host(), Duration.ofSeconds(90));
    ServerImage server;
    try (ProbeResources resources = new ProbeResources(docker)) {
      List<JsonNode> listed = ImageCatalog.listing(docker);
      List<String> tags = tagsOf(listed);
      server =
          options.image() != null
              ? ImageResolver.ifLocal(docker, options.image()).orElse(null)
              : serverImage(listed);
      // A requested image was inspected just above: it is local if that found it.
      Check probeImage = chooseProbeImage(docker, resources, tags, options.image(), server != null);
      checks.add(probeImage);
      if (probeImage.isOk()) {
        String image = probeImage.detail().split(" ", 2)[0];
        checks.addAll(probe(new ContainerProbes(docker, resources, image), bounding));
      }
    } finally {
      DockerClients.closeQuietly(docker);
      DockerClients.closeQuietly(info.client());
    }
    return Recommender.decide(checks, server);
  }

  private Optional<DaemonInfo> connect(boolean fix, List<Check> checks) {
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

  private static List<Check> storage(DaemonInfo info) {
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

  private static List<String> tagsOf(List<JsonNode> listed) {
    List<String> tags = new ArrayList<>();
    for (JsonNode image : listed) {
      tags.addAll(ImageCatalog.tags(image));
    }
    return tags;
  }

  /**
   * The server image {@code up} would run from {@code listed} (a {@code docker images} listing):
   * the first in {@link ImageCatalog}'s order, which {@code up} follows; null when none is local.
   */
  static ServerImage serverImage(List<JsonNode> listed) {
    return ImageCatalog.known(listed).stream()
        .findFirst()
        .map(ImageCatalog.KnownImage::serverImage)
        .orElse(null);
  }

  private Check chooseProbeImage(
      DockerClient docker,
      ProbeResources resources,
      List<String> tags,
      String requested,
      boolean requestedIsLocal) {
    if (requested != null) {
      if (!requestedIsLocal) {
        return Check.fail(
            CheckId.PROBE_IMAGE,
            "image "
                + requested
                + " is not local; build or `docker load` it first (doctor never pulls)");
      }
      return new ContainerProbes(docker, resources, requested).hasShell()
          ? Check.ok(CheckId.PROBE_IMAGE, requested + " (has /bin/sh)")
          : Check.fail(
              CheckId.PROBE_IMAGE,
              "image "
                  + requested
                  + " has no /bin/sh to probe with; pass --image with a shell, e.g. "
                  + FALLBACK_PROBE_IMAGE);
    }
    List<String> candidates = new ArrayList<>();
    for (String prefix : PROBE_IMAGES) {
      tags.stream().filter(t -> t.startsWith(prefix)).forEach(candidates::add);
    }
    if (tags.contains(FALLBACK_PROBE_IMAGE)) {
      candidates.add(FALLBACK_PROBE_IMAGE);
    }
    for (String candidate : candidates) {
      if (new ContainerProbes(docker, resources, candidate).hasShell()) {
        return Check.ok(CheckId.PROBE_IMAGE, candidate + " (has /bin/sh)");
      }
    }
    return Check.fail(
        CheckId.PROBE_IMAGE,
        "no local image with /bin/sh to probe with (looked for "
            + String.join("*, ", PROBE_IMAGES)
            + "*, "
            + FALLBACK_PROBE_IMAGE
            + (candidates.isEmpty() ? "" : "; without a shell: " + candidates)
            + "); build one, or pass --image IMAGE");
  }

  private List<Check> probe(ContainerProbes probes, Optional<Capabilities> bounding) {
    Path context = tempDir();
    Path readOnly = tempDir();
    Path readWrite = tempDir();
    Map<CheckId, Callable<Check>> tasks = new LinkedHashMap<>();
    // Slowest first, so the pool stays busy: a build commits a layer, vfs copies it.
    tasks.put(CheckId.IMAGE_BUILD, () -> probes.imageBuild(context));
    tasks.put(CheckId.PRIVILEGED, probes::privileged);
    tasks.put(
        CheckId.CAPABILITIES,
        () ->
            bounding
                .map(probes::capabilities)
                .orElse(Check.warn(CheckId.CAPABILITIES, "bounding set unknown; not probed")));
    tasks.put(CheckId.NETWORK_HOST, () -> probes.network(CheckId.NETWORK_HOST, "host"));
    tasks.put(CheckId.NETWORK_NONE, () -> probes.network(CheckId.NETWORK_NONE, "none"));
    tasks.put(CheckId.NETWORK_BRIDGE, () -> probes.network(CheckId.NETWORK_BRIDGE, "bridge"));
    tasks.put(CheckId.NETWORK_USER_DEFINED, probes::userDefinedNetwork);
    tasks.put(CheckId.PUBLISHED_PORT, probes::publishedPort);
    tasks.put(CheckId.BIND_MOUNT_RO, () -> probes.bindMountReadOnly(readOnly));
    tasks.put(CheckId.BIND_MOUNT_RW, () -> probes.bindMountReadWrite(readWrite));
    tasks.put(CheckId.NAMED_VOLUME, probes::namedVolume);
    tasks.put(CheckId.TMPFS, probes::tmpfs);
    tasks.put(CheckId.EXEC, probes::backgroundExec);
    progress.step("probing Docker: " + tasks.size() + " probes, " + THREADS + " at a time");

    ExecutorService pool =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "k3sbox-doctor-probe");
              // A probe stuck in a daemon call must not keep the JVM alive after Ctrl-C.
              t.setDaemon(true);
              return t;
            });
    List<Check> results = new ArrayList<>();
    try {
      Map<CheckId, Future<Check>> futures = new LinkedHashMap<>();
      tasks.forEach((id, task) -> futures.put(id, pool.submit(task)));
      long deadline = System.nanoTime() + PROBES_TIMEOUT.toNanos();
      for (Map.Entry<CheckId, Future<Check>> f : futures.entrySet()) {
        results.add(await(f.getKey(), f.getValue(), deadline));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new K3sboxException(
          ExitCode.INTERRUPTED, "doctor was interrupted; its probe containers were removed", e);
    } finally {
      pool.shutdownNow();
      Stream.of(context, readOnly, readWrite).forEach(Doctor::deleteQuietly);
    }
    return results;
  }

  private static Check await(CheckId id, Future<Check> future, long deadline)
      throws InterruptedException {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | CancellationException e) {
      // Probes turn their own failures into checks; this is a bug in one, reported as its row.
      return Check.fail(id, "probe crashed: " + DaemonError.lineOf(e));
    } catch (TimeoutException e) {
      future.cancel(true);
      return Check.fail(
          id, "no answer within " + PROBES_TIMEOUT.toMinutes() + " minutes of probing");
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("k3sbox-doctor-");
    } catch (IOException e) {
      throw new K3sboxException(
          ExitCode.INVALID,
          "cannot create a temporary folder (" + e.getMessage() + "); check TMPDIR",
          e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover empty temp folder harms nothing.
    }
  }
}
