package dev.k3sbox.core.doctor;

import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.docker.DaemonInfo;
import dev.k3sbox.core.docker.DockerDaemon;
import dev.k3sbox.core.docker.DockerProbes;
import dev.k3sbox.core.engine.ImageSummary;
import dev.k3sbox.core.engine.ProbeEngine;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.ImageResolver;
import dev.k3sbox.core.image.ServerImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures what Docker can do in this sandbox, as the seed experiment did by hand, and says which
 * privilege profile and network mode {@code up} will use. Probes run in parallel ({@link
 * ProbeRunner}), from a local image (never a pull), and everything they create is removed, also on
 * Ctrl-C ({@link ProbeResources}).
 */
public final class Doctor {
  static final int API_PORT = 6443;

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

    Optional<DaemonInfo> found = new DaemonChecks(daemon, progress).connect(options.fix(), checks);
    if (found.isEmpty()) {
      return Recommender.decide(checks, null);
    }
    DaemonInfo info = found.get();
    checks.addAll(DaemonChecks.storage(info));
    checks.add(HostFacts.freeDisk(Path.of(info.dockerRootDir())));

    ServerImage server;
    try (ProbeEngine engine = DockerProbes.connect(info)) {
      server = probe(engine, options.image(), bounding, checks, progress);
    }
    return Recommender.decide(checks, server);
  }

  /**
   * Adds the probe image's row and, with an image to probe with, the probes' rows to {@code
   * checks}; everything the probes made is gone on return.
   *
   * @param requested {@code --image}, or null to choose
   * @return the server image {@code up} would run, or null when none is local
   */
  static ServerImage probe(
      ProbeEngine engine,
      String requested,
      Optional<Capabilities> bounding,
      List<Check> checks,
      Progress progress) {
    try (ProbeResources resources = new ProbeResources(engine)) {
      List<ImageSummary> local = engine.images().list();
      ServerImage server =
          requested != null
              ? ImageResolver.ifLocal(engine.images(), requested).orElse(null)
              : serverImage(local);
      // A requested image was inspected just above: it is local if that found it.
      List<String> tags = local.stream().flatMap(image -> image.tags().stream()).toList();
      Check probeImage =
          new ProbeImageChoice(engine, resources).choose(tags, requested, server != null);
      checks.add(probeImage);
      if (probeImage.isOk()) {
        ContainerProbes probes =
            new ContainerProbes(engine, resources, ProbeImageChoice.imageOf(probeImage));
        checks.addAll(new ProbeRunner(progress).run(probes, bounding));
      }
      return server;
    }
  }

  /**
   * The server image {@code up} would run of {@code listed}: the first in {@link ImageCatalog}'s
   * order, which {@code up} follows; null when none is local.
   */
  static ServerImage serverImage(List<ImageSummary> listed) {
    return ImageCatalog.runnable(listed).stream()
        .findFirst()
        .map(ImageCatalog.KnownImage::serverImage)
        .orElse(null);
  }
}
