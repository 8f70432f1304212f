package dev.k3sbox.it.reliability;

import dev.k3sbox.core.kubeconfig.Kubeconfig;
import dev.k3sbox.core.kubeconfig.KubeconfigMerger;
import java.nio.file.Path;
import java.util.List;

/** One k3sbox-style merge in its own JVM: {@code MergeOnce FILE NAME}. */
final class MergeOnce {
  private MergeOnce() {}

  public static void main(String[] args) {
    String name = args[1];
    new KubeconfigMerger(List.of(Path.of(args[0])))
        .upsert(
            name,
            new Kubeconfig(
                "https://127.0.0.1:" + (17000 + Math.floorMod(name.hashCode(), 100)),
                "CA of " + name,
                "CERT of " + name,
                "KEY of " + name,
                null));
  }
}
