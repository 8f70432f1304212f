package dev.k3sbox.core.image;

import dev.k3sbox.core.Failure;
import dev.k3sbox.core.K3sboxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes release the stand-in can be built for, as users write it: {@code 1.37}, {@code
 * v1.37} (the newest patch of that minor the Go module proxy served when this k3sbox was made) or
 * {@code v1.36.1} (that patch).
 */
public record KubernetesVersion(int minor, int patch) implements Comparable<KubernetesVersion> {
  /**
   * The newest patch of each minor that the Go module proxy serves for {@code k8s.io/kubernetes}
   * (measured 2026-12: {@code curl https://proxy.golang.org/k8s.io/kubernetes/@v/list}). The
   * stand-in's Go code compiles against each of them.
   */
  static final Map<Integer, Integer> NEWEST_PATCH = Map.of(34, 4, 35, 4, 36, 3, 37, 2);

  private static final Pattern FORM = Pattern.compile("v?1\\.(\\d+)(?:\\.(\\d+))?");

  /** The default stand-in's version: the one {@code up} builds when told nothing. */
  public static final KubernetesVersion DEFAULT = new KubernetesVersion(35, 4);

  /** {@code text} as a version, or a usage error that lists the versions there are. */
  public static KubernetesVersion parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new K3sboxException(
          Failure.USAGE,
          "Kubernetes version '" + text + "' is not one; write it as 1.37 or v1.36.1 " + served());
    }
    int minor = Integer.parseInt(m.group(1));
    Integer newest = NEWEST_PATCH.get(minor);
    if (newest == null) {
      throw new K3sboxException(
          Failure.USAGE,
          "k3sbox cannot build a server for Kubernetes 1." + minor + "; pick one of " + served());
    }
    return new KubernetesVersion(minor, m.group(2) == null ? newest : Integer.parseInt(m.group(2)));
  }

  /** Several versions, comma-separated or repeated, each once, oldest first. */
  public static List<KubernetesVersion> parseAll(List<String> texts) {
    return texts.stream()
        .flatMap(t -> List.of(t.split(",")).stream())
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(KubernetesVersion::parse)
        .distinct()
        .sorted()
        .toList();
  }

  /** The version a server reports (gitVersion {@code v1.35.4+k3sbox}, {@code v1.33.5+k3s1}). */
  public static Optional<KubernetesVersion> ofServer(String gitVersion) {
    Matcher m =
        Pattern.compile("v?1\\.(\\d+)\\.(\\d+).*").matcher(gitVersion == null ? "" : gitVersion);
    return m.matches()
        ? Optional.of(
            new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
        : Optional.empty();
  }

  private static String served() {
    return "(served here: "
        + NEWEST_PATCH.keySet().stream().sorted().map(m -> "1." + m).toList()
        + ", newest patch unless one is given)";
  }

  /** {@code v1.37.2}: the module version, and the stand-in image's tag. */
  @Override
  public String toString() {
    return "v1." + minor + "." + patch;
  }

  /** {@code 1.37}: how reports and derived cluster names speak of it. */
  public String minorName() {
    return "1." + minor;
  }

  /** The staging modules' version ({@code k8s.io/api v0.37.2}) that goes with it. */
  public String stagingVersion() {
    return "v0." + minor + "." + patch;
  }

  public boolean sameMinor(KubernetesVersion other) {
    return minor == other.minor;
  }

  @Override
  public int compareTo(KubernetesVersion o) {
    return minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
  }
}
