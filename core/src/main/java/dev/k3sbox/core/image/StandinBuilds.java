package dev.k3sbox.core.image;

import java.util.Optional;

/**
 * How {@link ImageResolver} makes the stand-in where no image can be found or pulled: as {@code
 * k3sbox image build --standin} does ({@link ImageBuilder}); a fake in the resolver's tests.
 */
interface StandinBuilds {
  /** Whether this machine can build it: false without Go, and the caller says how to make one. */
  boolean possible();

  /** Builds the stand-in of {@code version} under its own tag; returns the tag. */
  String build(KubernetesVersion version);

  static StandinBuilds with(ImageBuilder builder) {
    return new StandinBuilds() {
      @Override
      public boolean possible() {
        return GoToolchain.installed();
      }

      @Override
      public String build(KubernetesVersion version) {
        return builder.build(ImageBuildSpec.standin(version, Optional.empty())).tag();
      }
    };
  }
}
