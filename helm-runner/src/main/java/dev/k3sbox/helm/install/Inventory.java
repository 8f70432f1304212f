package dev.k3sbox.helm.install;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.cluster.ObjectApplier;
import dev.k3sbox.helm.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * The record of what one release applied, kept in the cluster as a labelled Secret in the release
 * namespace (as Helm keeps its release Secrets), so a later install can prune and uninstall removes
 * exactly that. Its JSON goes through the client's own (fabric8, Jackson 3) serialization: a second
 * JSON library beside it cost ~130 ms of a cold {@code install}.
 */
final class Inventory {
  static final String RELEASE_LABEL = "k3sbox.dev/release";
  static final String TYPE = "k3sbox.dev/inventory";
  private static final String KEY = "inventory.json";

  private Inventory() {}

  static String secretName(String release) {
    return "k3sbox.inventory." + release;
  }

  static Optional<List<ObjectRef>> read(KubernetesClient client, String release, String ns) {
    Secret secret = client.secrets().inNamespace(ns).withName(secretName(release)).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(KEY)) {
      return Optional.empty();
    }
    try {
      String json =
          new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8);
      List<ObjectRef> refs =
          client.getKubernetesSerialization().unmarshal(json, new TypeReference<>() {});
      return Optional.of(refs);
    } catch (RuntimeException e) {
      throw new HelmRunnerException(
          Kind.CLUSTER,
          "the inventory Secret "
              + ns
              + "/"
              + secretName(release)
              + " is corrupt ("
              + e.getMessage()
              + "); delete it and the release's objects by hand",
          e);
    }
  }

  static void write(KubernetesClient client, String release, String ns, List<ObjectRef> refs) {
    String json = client.getKubernetesSerialization().asJson(refs);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName(release))
            .withNamespace(ns)
            .withLabels(Map.of(RELEASE_LABEL, release, "app.kubernetes.io/managed-by", "k3sbox"))
            .endMetadata()
            .withType(TYPE)
            .withData(
                Map.of(
                    KEY, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))))
            .build();
    client
        .secrets()
        .inNamespace(ns)
        .resource(secret)
        .fieldManager(ObjectApplier.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  static void delete(KubernetesClient client, String release, String ns) {
    client.secrets().inNamespace(ns).withName(secretName(release)).delete();
  }
}
