package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.WritableOperation;
import java.util.List;
import java.util.Optional;

/**
 * Sends one object by server-side apply with field manager {@code k3sbox} and strict field
 * validation, as a dry run ({@code dryRun=All}) or for real. Validation and install share it, so a
 * chart that validates is exactly a chart that installs.
 */
public final class ObjectApplier {
  public static final String FIELD_MANAGER = "k3sbox";

  private final ClusterConnection connection;

  public ObjectApplier(ClusterConnection connection) {
    this.connection = connection;
  }

  /** The namespace the object goes to: its own, else the release's; none when cluster-scoped. */
  public Optional<ObjectRef> refOf(ManifestObject object, String releaseNamespace) {
    return connection
        .resourceType(object.apiVersion(), object.kind())
        .map(type -> ref(type, object, releaseNamespace));
  }

  public ApplyOutcome apply(ManifestObject object, String releaseNamespace, boolean dryRun) {
    Optional<ResourceType> type = connection.resourceType(object.apiVersion(), object.kind());
    if (type.isEmpty()) {
      // What kubectl says for the same object; the server has no endpoint to answer with.
      return rejected(
          new ObjectRef(object.apiVersion(), object.kind(), object.namespace(), object.name()),
          "no matches for kind \""
              + object.kind()
              + "\" in version \""
              + object.apiVersion()
              + "\": the API server does not serve it (removed in this Kubernetes version,"
              + " or its CRD is not installed)");
    }
    ObjectRef ref = ref(type.get(), object, releaseNamespace);
    if (object.name() == null || object.name().isBlank()) {
      return rejected(ref, "metadata.name is missing; server-side apply needs a name");
    }
    String path = ClusterConnection.path(type.get(), ref.namespace(), ref.name());
    Resource<GenericKubernetesResource> resource =
        connection.resource(type.get(), object, ref.namespace());
    WritableOperation<GenericKubernetesResource> operation = dryRun ? resource.dryRun() : resource;
    try {
      operation
          .fieldValidation(Validation.STRICT)
          .fieldManager(FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
      return new ApplyOutcome(ref, List.of(), connection.takeWarnings(path));
    } catch (KubernetesClientException e) {
      return new ApplyOutcome(ref, List.of(messageOf(e)), connection.takeWarnings(path));
    }
  }

  /** The API server's own words for a rejection, not fabric8's wrapper text. */
  public static String messageOf(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage();
    }
    String message = String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(message);
  }

  private static ObjectRef ref(ResourceType type, ManifestObject object, String releaseNs) {
    String namespace =
        type.namespaced() ? (object.namespace() != null ? object.namespace() : releaseNs) : null;
    return new ObjectRef(object.apiVersion(), object.kind(), namespace, object.name());
  }

  private static ApplyOutcome rejected(ObjectRef ref, String message) {
    return new ApplyOutcome(ref, List.of(message), List.of());
  }
}
