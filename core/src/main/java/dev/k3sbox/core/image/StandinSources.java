package dev.k3sbox.core.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The stand-in's Go sources, as they travel in the jar ({@code images/controlplane}): exactly the
 * files its resource {@code FILES} names, in that order. The folder's other files (Go tests) are
 * never written to a build nor counted in the digest that tells a built image up to date.
 */
final class StandinSources {
  private static final String SOURCES = "/dev/k3sbox/core/image/sources/controlplane/";

  private StandinSources() {}

  /**
   * The sources for {@code version}: as shipped for the default version; for another, with go.mod
   * moved to that version's modules and without go.sum (see {@link #module}).
   */
  static Map<String, byte[]> of(KubernetesVersion version) {
    return of(version, StandinSources::resource);
  }

  /** As {@link #of(KubernetesVersion)}, each file's text read by {@code resources}. */
  static Map<String, byte[]> of(KubernetesVersion version, Function<String, String> resources) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name :
        resources.apply("FILES").lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      if (name.equals("go.sum") && !version.equals(KubernetesVersion.DEFAULT)) {
        continue;
      }
      String text = resources.apply(name);
      if (name.equals("go.mod")) {
        text = module(text, version);
      }
      files.put(name, text.getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  /**
   * go.mod for another Kubernetes version: {@code k8s.io/kubernetes} and the staging modules it
   * replaces ({@code k8s.io/api => k8s.io/api v0.35.4}, ...) move together, as upstream releases
   * them; Go's minimal version selection raises the other modules to what that version needs.
   */
  static String module(String goMod, KubernetesVersion version) {
    KubernetesVersion from = KubernetesVersion.DEFAULT;
    return goMod
        .replace("k8s.io/kubernetes " + from, "k8s.io/kubernetes " + version)
        .replaceAll(
            " " + Pattern.quote(from.stagingVersion()) + "(?=\\s)", " " + version.stagingVersion());
  }

  private static String resource(String name) {
    try (InputStream in = StandinSources.class.getResourceAsStream(SOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("k3sbox is built without " + SOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
