package dev.k3sbox.core.doctor;

import dev.k3sbox.core.engine.ProbeEngine;
import dev.k3sbox.core.image.ImageCatalog;
import java.util.ArrayList;
import java.util.List;

/** Which local image doctor probes with: one with {@code /bin/sh}, as every probe is a script. */
final class ProbeImageChoice {
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

  private final ProbeEngine engine;
  private final ProbeResources resources;

  ProbeImageChoice(ProbeEngine engine, ProbeResources resources) {
    this.engine = engine;
    this.resources = resources;
  }

  /**
   * The probe image's row: OK with the image's name as the detail's first word, or why there is
   * none.
   *
   * @param tags every local image's tags
   * @param requested {@code --image}, or null to choose
   * @param requestedIsLocal whether the daemon has {@code requested}
   */
  Check choose(List<String> tags, String requested, boolean requestedIsLocal) {
    if (requested != null) {
      if (!requestedIsLocal) {
        return Check.fail(
            CheckId.PROBE_IMAGE,
            "image "
                + requested
                + " is not local; build or `docker load` it first (doctor never pulls)");
      }
      return hasShell(requested)
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
      if (hasShell(candidate)) {
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

  /** The image a chosen row names. */
  static String imageOf(Check chosen) {
    return chosen.detail().split(" ", 2)[0];
  }

  private boolean hasShell(String image) {
    return new ContainerProbes(engine, resources, image).hasShell();
  }
}
