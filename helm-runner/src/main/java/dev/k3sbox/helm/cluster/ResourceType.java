package dev.k3sbox.helm.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** What API discovery says about one kind: its plural and whether it lives in a namespace. */
public record ResourceType(
    String group, String version, String kind, String plural, boolean namespaced) {

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }
}
