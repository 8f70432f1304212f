package dev.k3sbox.core.doctor;

import static dev.k3sbox.core.image.ListedImages.STANDIN_LABELS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.k3sbox.core.Progress;
import dev.k3sbox.core.docker.Capabilities;
import dev.k3sbox.core.engine.CommandResult;
import dev.k3sbox.core.engine.FakeProbeEngine;
import dev.k3sbox.core.engine.ImageSummary;
import dev.k3sbox.core.engine.ProbeSpec;
import dev.k3sbox.core.image.ImageCatalog;
import dev.k3sbox.core.image.ServerImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DoctorTest {
  private static final String BUSYBOX = "k3sbox/busybox:local";
  private static final ServerImage STANDIN =
      new ServerImage(ImageCatalog.STANDIN_IMAGE, true, ServerImage.STANDIN);

  private final FakeProbeEngine engine = new FakeProbeEngine();

  @Test
  void shouldProbeWithTheFirstLocalImageThatHasAShell() {
    // Given: the stand-in (FROM scratch: no shell) and busybox
    engine.images.add(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS);
    engine.images.add(BUSYBOX, Map.of());
    engine.withoutShell = Set.of(ImageCatalog.STANDIN_IMAGE);
    engine.runs = DoctorTest::aWorkingShell;
    List<Check> checks = new ArrayList<>();

    // When
    ServerImage server = Doctor.probe(engine, null, Optional.empty(), checks, Progress.NONE);

    // Then: every probe passes, on busybox; nothing is left behind
    assertThat(server).isEqualTo(STANDIN);
    assertThat(checks.get(0)).isEqualTo(Check.ok(CheckId.PROBE_IMAGE, BUSYBOX + " (has /bin/sh)"));
    assertThat(checks)
        .filteredOn(c -> !c.isOk())
        .containsExactly(Check.warn(CheckId.CAPABILITIES, "bounding set unknown; not probed"));
    assertThat(checks).hasSize(14);
    assertThat(engine.asked)
        .allMatch(spec -> spec.image().equals(BUSYBOX) || !spec.command().contains("-c"));
    assertThat(engine.leftovers()).isEmpty();
  }

  @Test
  void shouldFailOnlyTheBridgesProbesWhereTheBridgeIsRefused() {
    // Given: a sandbox without iptables, as gVisor's
    String refusal =
        "failed to create endpoint probe on network bridge: adding interface veth0 to bridge"
            + " docker0 failed: operation not supported";
    engine.images.add(BUSYBOX, Map.of());
    engine.runs = DoctorTest::aWorkingShell;
    engine.refuseStart = spec -> spec.network().equals("bridge") ? refusal : null;
    List<Check> checks = new ArrayList<>();

    // When
    Doctor.probe(
        engine,
        null,
        Optional.of(Capabilities.fromHex("000001ffffffffff", 40)),
        checks,
        Progress.NONE);

    // Then: the rest run on --network none (or host) and pass
    assertThat(checks)
        .filteredOn(c -> !c.isOk())
        .containsExactly(
            Check.fail(CheckId.NETWORK_BRIDGE, refusal),
            Check.fail(CheckId.PUBLISHED_PORT, refusal));
    assertThat(checks).hasSize(14);
    assertThat(engine.leftovers()).isEmpty();
  }

  @Test
  void shouldNotProbeWithARequestedImageThatIsNotLocal() {
    // Given
    engine.images.add(BUSYBOX, Map.of());
    List<Check> checks = new ArrayList<>();

    // When
    ServerImage server = Doctor.probe(engine, "my/k3s:1", Optional.empty(), checks, Progress.NONE);

    // Then
    assertThat(server).isNull();
    assertThat(checks)
        .containsExactly(
            Check.fail(
                CheckId.PROBE_IMAGE,
                "image my/k3s:1 is not local; build or `docker load` it first (doctor never"
                    + " pulls)"));
    assertThat(engine.asked).isEmpty();
  }

  @Test
  void shouldRecommendTheImageUpWouldRun() {
    // Given: the stand-in (newest), a local k3s build and the pinned rancher image
    List<ImageSummary> listed =
        List.of(
            image(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 300),
            image(ImageCatalog.K3S_REPOSITORY + ":v1.33.10-k3s1", Map.of(), 200),
            image(ImageCatalog.RANCHER_PINNED, Map.of(), 100));

    // When
    ServerImage recommended = Doctor.serverImage(listed);

    // Then: ImageCatalog's order, which `up` runs by, puts the pinned rancher image first
    assertThat(recommended)
        .isEqualTo(new ServerImage(ImageCatalog.RANCHER_PINNED, false, ServerImage.K3S));
  }

  @Test
  void shouldRecommendTheStandinWithoutPrivilegeWhenItIsTheOnlyServerImage() {
    // Given
    List<ImageSummary> listed =
        List.of(
            image(BUSYBOX, Map.of(), 300), image(ImageCatalog.STANDIN_IMAGE, STANDIN_LABELS, 100));

    // When
    ServerImage recommended = Doctor.serverImage(listed);

    // Then
    assertThat(recommended).isEqualTo(STANDIN);
  }

  private static ImageSummary image(String tag, Map<String, String> labels, long created) {
    return new ImageSummary("sha256:" + tag, List.of(tag), labels, 1L, created);
  }

  /** A shell whose bind mounts work: it reads and writes the host folders the probes mount. */
  private static CommandResult aWorkingShell(ProbeSpec spec) {
    String script = spec.command().get(spec.command().size() - 1);
    try {
      for (String bind : spec.binds()) {
        Path host = Path.of(bind.split(":")[0]);
        if (script.contains("cat /probe/in.txt")) {
          return new CommandResult(0, Files.readString(host.resolve("in.txt")));
        }
        if (script.contains("> /probe/out.txt")) {
          Files.writeString(host.resolve("out.txt"), "written\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CommandResult(0, "ok\n");
  }
}
