package dev.k3sbox.helm.install;

import dev.k3sbox.helm.parse.ManifestObject;
import dev.k3sbox.helm.parse.ManifestParser;
import dev.k3sbox.helm.render.RenderedChart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The CRDs of an old chart's {@code crds/} folders, as the next upgrade check's spare server is
 * given them ahead of the check (the CLI's {@code SpareSeeding}), with the digest that tells the
 * check whether the spare holds exactly what its own old release would create: then installing that
 * release finds them present and skips them, as Helm does, and the check is spared their creation
 * (seconds for kube-prometheus-stack's ten, most of an upgrade check).
 *
 * @param text the CRDs as Helm's engine answers them ({@code helm template --include-crds} form,
 *     each under its {@code # Source:}): what the seeding process reads and the digest is of
 */
public record CrdSeed(String text) {
  /** The crds/ CRDs of {@code chart}, as rendered (only they, or with the rest of the chart). */
  public static CrdSeed of(RenderedChart chart) {
    return new CrdSeed(chart.crdsText());
  }

  public static CrdSeed none() {
    return new CrdSeed("");
  }

  public boolean isEmpty() {
    return text.isBlank();
  }

  /** SHA-256 of the text: equal digests, equal CRDs from equal files. */
  public String digest() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /** The CRDs as objects an install applies, each knowing it is of a crds/ folder. */
  public List<ManifestObject> objects() {
    return new ManifestParser()
        .parse(text, "crds").stream().filter(ManifestObject::fromCrdsFolder).toList();
  }
}
