package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import dev.k3sbox.helm.parse.ManifestObject;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fabric8 client for one {@link KubeTarget}, with the two things fabric8 leaves to its caller:
 * API discovery by {@code apiVersion} (so objects of kinds no model knows, and of CRDs created a
 * moment ago, can be sent) and the server's {@code Warning} headers.
 */
public final class ClusterConnection implements AutoCloseable {
  private final KubernetesClient client;
  private final WarningRecorder warnings;
  private final Map<String, Optional<APIResourceList>> discovery = new ConcurrentHashMap<>();

  private ClusterConnection(KubernetesClient client, WarningRecorder warnings) {
    this.client = client;
    this.warnings = warnings;
  }

  /** Connects and checks that the server answers, so later failures are about objects. */
  public static ClusterConnection open(KubeTarget target) {
    Path file = target.kubeconfig();
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "cannot read kubeconfig " + file + " (" + e + "); check the --kubeconfig path",
          e);
    }
    Config config;
    try {
      config = Config.fromKubeconfig(target.context(), yaml, file.toString());
    } catch (RuntimeException e) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "kubeconfig "
              + file
              + " cannot be used"
              + (target.context() == null ? "" : " with context " + target.context())
              + " ("
              + e.getMessage()
              + "); check the file and --context",
          e);
    }
    // fabric8 retries a refused connection ten times with backoff (about 20 s); a cluster that is
    // down should be reported at once, and three retries still ride out a busy API server.
    config.setRequestRetryBackoffLimit(3);
    WarningRecorder warnings = new WarningRecorder();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                b -> b.addOrReplaceInterceptor("k3sbox-warnings", warnings))
            .build();
    ClusterConnection connection = new ClusterConnection(client, warnings);
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      connection.close();
      throw unreachable(config.getMasterUrl(), file, e);
    }
    return connection;
  }

  static HelmRunnerException unreachable(String url, Path kubeconfig, KubernetesClientException e) {
    if (e.getCode() == 401 || e.getCode() == 403) {
      return new HelmRunnerException(
          Kind.CLUSTER,
          "the cluster at "
              + url
              + " rejected the credentials in "
              + kubeconfig
              + " (HTTP "
              + e.getCode()
              + "); they may have expired: fetch a fresh kubeconfig",
          e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new HelmRunnerException(
        Kind.CLUSTER,
        "cannot reach the cluster at "
            + url
            + " from "
            + kubeconfig
            + " ("
            + root.getMessage()
            + "); start it (k3sbox up) or pick another --kubeconfig/--context",
        e);
  }

  /**
   * A request that is not about one chart object failed: the cluster, not the chart, is at fault.
   */
  public static HelmRunnerException failure(String during, KubernetesClientException e) {
    return new HelmRunnerException(
        Kind.CLUSTER,
        "the cluster failed while "
            + during
            + " ("
            + ObjectApplier.messageOf(e)
            + "); check that it is up and that the kubeconfig may do this, then run again",
        e);
  }

  public KubernetesClient client() {
    return client;
  }

  /** What discovery says about {@code apiVersion}/{@code kind}; empty if the server lacks it. */
  public Optional<ResourceType> resourceType(String apiVersion, String kind) {
    Optional<APIResourceList> list =
        discovery.computeIfAbsent(apiVersion, v -> Optional.ofNullable(fetch(v)));
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return list.flatMap(
        l ->
            l.getResources().stream()
                .filter(r -> kind.equals(r.getKind()) && !r.getName().contains("/"))
                .findFirst()
                .map(r -> toType(group, version, r)));
  }

  /** Drops cached discovery, e.g. once a CRD the chart brings is established. */
  public void forgetDiscovery() {
    discovery.clear();
  }

  /** The fabric8 handle for {@code object} in {@code namespace} (ignored when cluster-scoped). */
  public Resource<GenericKubernetesResource> resource(
      ResourceType type, ManifestObject object, String namespace) {
    var operation = client.genericKubernetesResources(type.context());
    return type.namespaced()
        ? operation.inNamespace(namespace).resource(object.resource())
        : operation.resource(object.resource());
  }

  /** The fabric8 handle for an object already in the cluster; empty if its kind is not served. */
  public Optional<Resource<GenericKubernetesResource>> resource(ObjectRef ref) {
    return resourceType(ref.apiVersion(), ref.kind())
        .map(
            type -> {
              var operation = client.genericKubernetesResources(type.context());
              return type.namespaced()
                  ? operation.inNamespace(ref.namespace()).withName(ref.name())
                  : operation.withName(ref.name());
            });
  }

  /** The request path of {@code object}, as the warning recorder keys it. */
  public static String path(ResourceType type, String namespace, String name) {
    String base =
        type.group().isEmpty() ? "/api/v1" : "/apis/" + type.group() + "/" + type.version();
    String ns = type.namespaced() ? "/namespaces/" + namespace : "";
    return base + ns + "/" + type.plural() + "/" + name;
  }

  /** Warnings the server sent for requests to {@code path} since the last call. */
  public List<String> takeWarnings(String path) {
    return warnings.take(path);
  }

  private APIResourceList fetch(String apiVersion) {
    try {
      return client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static ResourceType toType(String group, String version, APIResource r) {
    return new ResourceType(
        group, version, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced()));
  }

  @Override
  public void close() {
    client.close();
  }
}
