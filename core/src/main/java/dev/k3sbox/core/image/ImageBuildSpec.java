package dev.k3sbox.core.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code k3sbox image build} makes: the stand-in, real k3s from a binary the user has, or real
 * k3s compiled from its Go module sources.
 */
public record ImageBuildSpec(
    Kind kind,
    Optional<Path> binary,
    Optional<String> k3sVersion,
    Optional<String> tag,
    KubernetesVersion kubernetesVersion) {
  public enum Kind {
    STANDIN,
    FROM_BINARY,
    FROM_SOURCE
  }

  public static ImageBuildSpec standin(Optional<String> tag) {
    return standin(KubernetesVersion.DEFAULT, tag);
  }

  /** The stand-in compiled from {@code k8s.io/kubernetes} at {@code version}. */
  public static ImageBuildSpec standin(KubernetesVersion version, Optional<String> tag) {
    return new ImageBuildSpec(Kind.STANDIN, Optional.empty(), Optional.empty(), tag, version);
  }

  public static ImageBuildSpec fromBinary(Path binary, Optional<String> tag) {
    return new ImageBuildSpec(
        Kind.FROM_BINARY, Optional.of(binary), Optional.empty(), tag, KubernetesVersion.DEFAULT);
  }

  public static ImageBuildSpec fromSource(Optional<String> k3sVersion, Optional<String> tag) {
    return new ImageBuildSpec(
        Kind.FROM_SOURCE, Optional.empty(), k3sVersion, tag, KubernetesVersion.DEFAULT);
  }
}
