package dev.k3sbox.core.cluster;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.engine.ContainerEngine;
import dev.k3sbox.core.engine.EngineException;
import dev.k3sbox.core.image.ServerImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Creates and starts a server container with the least privilege the sandbox lets it start with:
 * the privilege fallback ({@code --privileged=auto}), and capabilities an older daemon does not
 * know dropped.
 */
final class ServerCreation {
  private final ContainerEngine engine;
  private final Progress progress;
  // The capabilities this process may grant (its bounding set), asked only for that profile.
  private final Supplier<List<String>> grantable;

  ServerCreation(ContainerEngine engine, Progress progress) {
    this(
        engine,
        progress,
        () -> Capabilities.ofThisProcess().map(Capabilities::askable).orElse(List.of()));
  }

  ServerCreation(ContainerEngine engine, Progress progress, Supplier<List<String>> grantable) {
    this.engine = engine;
    this.progress = progress;
    this.grantable = grantable;
  }

  ServerInstance createAndStart(ClusterSpec spec, ServerImage image, Map<String, String> labels) {
    K3sboxException last = null;
    for (PrivilegeProfile profile : candidateProfiles(spec, image)) {
      List<String> caps =
          new ArrayList<>(
              profile == PrivilegeProfile.CAPABILITIES ? grantable.get() : List.<String>of());
      progress.step(
          "creating container "
              + ClusterName.container(spec.name())
              + " from "
              + image.name()
              + " (privilege: "
              + profile.label()
              + ")");
      ServerInstance created = create(spec, image.name(), profile, caps, labels);
      try {
        engine.start(created.id());
        return created;
      } catch (EngineException e) {
        String reason = e.reason();
        engine.remove(created.id());
        if (PortGuard.isConflict(reason)) {
          throw PortGuard.inUse(spec, reason);
        }
        last =
            new K3sboxException(
                Failure.UNAVAILABLE, "the server container did not start (" + reason + ")", e);
        if (spec.privilegeMode() != PrivilegeMode.AUTO) {
          throw new K3sboxException(
              Failure.UNAVAILABLE,
              "the server container did not start with privilege "
                  + profile.label()
                  + ": "
                  + reason
                  + "; try --privileged=auto, and see `k3sbox doctor`",
              e);
        }
        progress.warn(
            "privilege "
                + profile.label()
                + " refused here ("
                + reason
                + "); trying the next profile");
      }
    }
    throw last;
  }

  /** Starts an existing, stopped server. */
  void start(String id, ClusterSpec spec) {
    try {
      engine.start(id);
    } catch (EngineException e) {
      if (PortGuard.isConflict(e.reason())) {
        throw PortGuard.inUse(spec, e.reason());
      }
      throw new K3sboxException(
          Failure.UNAVAILABLE, "cannot start cluster " + spec.name() + ": " + e.reason(), e);
    }
  }

  private ServerInstance create(
      ClusterSpec spec,
      String image,
      PrivilegeProfile profile,
      List<String> caps,
      Map<String, String> labels) {
    while (true) {
      var container = ServerRecipe.containerSpec(spec, image, profile, caps, labels);
      try {
        return new ServerInstance(engine.create(container), image, container.labels(), null);
      } catch (EngineException e) {
        // An older daemon refuses capabilities newer than itself (20.10: CAP_PERFMON).
        Optional<String> unknown = Capabilities.nameUnknownToDaemon(e.reason());
        if (unknown.isEmpty() || !caps.remove(unknown.get())) {
          if (e.status() == 409) {
            throw ServerLookup.notLabelled(spec.name(), e);
          }
          throw new K3sboxException(
              Failure.UNAVAILABLE, "cannot create the server container: " + e.reason(), e);
        }
      }
    }
  }

  private static List<PrivilegeProfile> candidateProfiles(ClusterSpec spec, ServerImage image) {
    return switch (spec.privilegeMode()) {
      case ALWAYS -> List.of(PrivilegeProfile.PRIVILEGED);
      case NEVER -> List.of(PrivilegeProfile.NONE);
      // Least privilege first: `k3s server --disable-agent` needs none (no kubelet, containerd,
      // flannel, cgroup evacuation or /dev/kmsg; k3s's pkg/cli/server asks root only of an
      // agent). More is tried only where Docker refuses to start a plain container.
      case AUTO ->
          image.needsNoPrivilege()
              ? List.of(PrivilegeProfile.NONE)
              : List.of(
                  PrivilegeProfile.NONE,
                  PrivilegeProfile.CAPABILITIES,
                  PrivilegeProfile.PRIVILEGED);
    };
  }
}
