package dev.k3sbox.helm.install;

import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CRDs of an old chart's {@code crds/} folders, as the next upgrade check's spare server is
 * given them ahead of the check (the CLI's {@code SpareSeeding}), with the digest that tells the
 * check whether the spare holds exactly what its own old release would create: then installing that
 * release finds them present and skips them, as Helm does, and the check is spared their creation
 * (seconds for kube-prometheus-stack's ten, most of an upgrade check).
 *
 * @param json the CRDs, each with its template source, as the file the seeding process reads
 */
public record CrdSeed(String json) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The {@code crds/} CRDs among {@code objects} (an old release's, as rendered). */
  public static CrdSeed of(List<ManifestObject> objects) {
    // Records, not maps: their fields go out in one order, so that equal CRDs give equal digests.
    List<Entry> crds =
        objects.stream()
            .filter(ManifestObject::fromCrdsFolder)
            .map(o -> new Entry(o.source(), o.resource()))
            .toList();
    return new CrdSeed(JSON.writeValueAsString(crds));
  }

  public boolean isEmpty() {
    return "[]".equals(json);
  }

  /** SHA-256 of the CRDs and their sources: equal digests, equal CRDs. */
  public String digest() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /** The CRDs again, as objects an install applies. */
  public List<ManifestObject> objects() {
    List<Entry> entries = JSON.readValue(json, new TypeReference<List<Entry>>() {});
    return entries.stream().map(e -> new ManifestObject(e.source(), e.object())).toList();
  }

  record Entry(String source, GenericKubernetesResource object) {}
}
