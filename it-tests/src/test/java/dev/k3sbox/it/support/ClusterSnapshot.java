package dev.k3sbox.it.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The names of what a chart could leave behind: namespaces, CRDs, and the usual objects in every
 * namespace. Two snapshots are equal when nothing was added or removed.
 */
public record ClusterSnapshot(List<String> names) {

  public static ClusterSnapshot take(KubernetesClient client) {
    TreeSet<String> names = new TreeSet<>();
    add(names, "Namespace", client.namespaces().list().getItems().stream());
    add(
        names,
        "CRD",
        client.apiextensions().v1().customResourceDefinitions().list().getItems().stream());
    add(names, "ConfigMap", client.configMaps().inAnyNamespace().list().getItems().stream());
    add(names, "Secret", client.secrets().inAnyNamespace().list().getItems().stream());
    add(names, "Service", client.services().inAnyNamespace().list().getItems().stream());
    add(
        names,
        "Deployment",
        client.apps().deployments().inAnyNamespace().list().getItems().stream());
    add(names, "Job", client.batch().v1().jobs().inAnyNamespace().list().getItems().stream());
    add(
        names,
        "Ingress",
        client.network().v1().ingresses().inAnyNamespace().list().getItems().stream());
    return new ClusterSnapshot(List.copyOf(names));
  }

  private static void add(TreeSet<String> names, String kind, Stream<? extends HasMetadata> items) {
    items
        // The controller manager publishes this into every namespace on its own schedule.
        .filter(o -> !"kube-root-ca.crt".equals(o.getMetadata().getName()))
        .forEach(
            o ->
                names.add(
                    kind
                        + "/"
                        + (o.getMetadata().getNamespace() == null
                            ? ""
                            : o.getMetadata().getNamespace() + "/")
                        + o.getMetadata().getName()));
  }
}
