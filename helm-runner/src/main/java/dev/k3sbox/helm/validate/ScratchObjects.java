package dev.k3sbox.helm.validate;

import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.Map;

/** The scratch scope: real objects created only so others can be validated, then deleted. */
final class ScratchObjects {
  /** Marks scratch objects, so one left behind by a killed run can be found and removed. */
  static final String LABEL = "k3sbox.dev/scratch";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ScratchObjects() {}

  static ManifestObject namespace(String name) {
    GenericKubernetesResource ns =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("v1")
            .withKind("Namespace")
            .withNewMetadata()
            .withName(name)
            .withLabels(Map.of(LABEL, "true"))
            .endMetadata()
            .build();
    return new ManifestObject("(release namespace)", ns);
  }

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
    return new ManifestObject(object.source(), copy);
  }
}
