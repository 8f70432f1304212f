package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The scratch objects' marks: real objects created only so others can be validated (a chart's
 * Namespaces and CRDs, the ServiceAccounts its bare Pods name). The label finds them; the digest
 * annotation says which rendered object a kept one was made from, so an unchanged one is reused.
 */
public final class ScratchObjects {
  /** Marks scratch objects, so they can be found, reused, counted and removed. */
  public static final String LABEL = "k3sbox.dev/scratch";

  /** The SHA-256 of the rendered object a scratch object was made from. */
  public static final String DIGEST = "k3sbox.dev/scratch-digest";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ScratchObjects() {}

  static ManifestObject namespace(String name) {
    GenericKubernetesResource ns =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("v1")
            .withKind("Namespace")
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .build();
    return new ManifestObject("(release namespace)", ns);
  }

  /** A copy of {@code object} with the scratch label and the digest of what was rendered. */
  static ManifestObject labelled(ManifestObject object) {
    // A deep copy: the rendered object stays as the chart made it, for the report.
    GenericKubernetesResource copy = SERIALIZATION.clone(object.resource());
    if (copy.getMetadata() == null) {
      copy.setMetadata(new ObjectMeta());
    }
    Map<String, String> labels =
        copy.getMetadata().getLabels() == null
            ? new HashMap<>()
            : new HashMap<>(copy.getMetadata().getLabels());
    labels.put(LABEL, "true");
    copy.getMetadata().setLabels(labels);
    Map<String, String> annotations =
        copy.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(copy.getMetadata().getAnnotations());
    annotations.put(DIGEST, digest(object));
    copy.getMetadata().setAnnotations(annotations);
    return new ManifestObject(object.source(), copy);
  }

  static boolean isScratch(HasMetadata existing) {
    return isScratch(existing.getMetadata());
  }

  /** Whether an object with {@code metadata} is one of validate's scratch objects. */
  public static boolean isScratch(ObjectMeta metadata) {
    var labels = metadata.getLabels();
    return labels != null && "true".equals(labels.get(LABEL));
  }

  /** Whether a kept scratch object was made from exactly this rendered object. */
  static boolean madeFrom(HasMetadata existing, ManifestObject object) {
    var annotations = existing.getMetadata().getAnnotations();
    return annotations != null && digest(object).equals(annotations.get(DIGEST));
  }

  /**
   * Digests of the objects last asked about, by identity: the servers of a matrix check the same
   * parsed CRDs (kube-prometheus-stack's are 5 MB), and hashing them again for each server cost
   * more than the check. Bounded, so a long-lived JVM does not keep every object it validated.
   */
  private static final Map<Identity, String> DIGESTS =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity, String> eldest) {
              return size() > 256;
            }
          });

  /** An object compared by identity: equal objects have one digest anyway, and equals walks. */
  private record Identity(Object object) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.object == object;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(object);
    }
  }

  static String digest(ManifestObject object) {
    Identity key = new Identity(object.resource());
    String known = DIGESTS.get(key);
    if (known != null) {
      return known;
    }
    String digest = computeDigest(object);
    DIGESTS.put(key, digest);
    return digest;
  }

  private static String computeDigest(ManifestObject object) {
    try {
      byte[] json = SERIALIZATION.asJson(object.resource()).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
