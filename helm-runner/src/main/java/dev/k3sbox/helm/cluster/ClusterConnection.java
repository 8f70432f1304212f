package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fabric8 client for one {@link KubeTarget}, with what fabric8 leaves to its caller: API
 * discovery by {@code apiVersion} (so objects of kinds no model knows, and of CRDs created a moment
 * ago, can be sent) and request paths for {@link ObjectApplier}'s plain HTTP calls.
 */
public final class ClusterConnection implements AutoCloseable {
  private final KubernetesClient client;
  private final Map<String, Optional<APIResourceList>> discovery = new ConcurrentHashMap<>();
  private HttpClient noRetries; // made at first use: httpWithoutRetries

  private ClusterConnection(KubernetesClient client) {
    this.client = client;
  }

  /** Connects and checks that the server answers, so later failures are about objects. */
  public static ClusterConnection open(KubeTarget target) {
    Path file = target.kubeconfig();
    Config config = configOf(target, read(file));
    // fabric8 retries a refused connection ten times from 1 s up (over a minute); a cluster that
    // is down should be reported at once, and three quick retries (0.2, 0.4, 0.8 s) still ride
    // out a restarting API server. A 429 waits as long as its Retry-After asks either way.
    config.setRequestRetryBackoffLimit(3);
    config.setRequestRetryBackoffInterval(200);
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    if (KubeconfigProxy.isHttps(config.getMasterUrl()) && !config.isHttp2Disable()) {
      // HTTP/2 only where TLS negotiates it, and not when the user switched it off as fabric8
      // documents (KUBERNETES_HTTP2_DISABLE). Over plain HTTP the one way in is an h2c upgrade,
      // which `kubectl proxy` passes on to the API server and then fails the request.
      builder.withHttpClientFactory(new MultiplexedHttpClientFactory());
    }
    KubernetesClient client;
    try {
      client = builder.build();
    } catch (RuntimeException e) {
      // What fabric8 refuses while building its HTTP client: a proxy URL it cannot use, say.
      throw new HelmRunnerException(
          Kind.USAGE,
          "kubeconfig "
              + file
              + " cannot be used ("
              + e.getMessage()
              + "); check its proxy-url, HTTPS_PROXY and NO_PROXY",
          e);
    }
    ClusterConnection connection = new ClusterConnection(client);
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      connection.close();
      throw unreachable(config.getMasterUrl(), file, e);
    }
    return connection;
  }

  /**
   * The usage mistakes in {@code target}'s kubeconfig, found without contacting the cluster: a file
   * that cannot be read or is not a kubeconfig, a missing context, a proxy-url k3sbox cannot use.
   * Made before rendering, which talks to the cluster through the same kubeconfig.
   */
  public static void check(KubeTarget target) {
    configOf(target, read(target.kubeconfig()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "cannot read kubeconfig " + file + " (" + e + "); check the --kubeconfig path",
          e);
    }
  }

  /** fabric8's configuration for {@code target}, with its proxy; usage mistakes refused. */
  private static Config configOf(KubeTarget target, String yaml) {
    Path file = target.kubeconfig();
    requireContext(target, yaml);
    Config config;
    try {
      config = Config.fromKubeconfig(target.context(), yaml, file.toString());
    } catch (RuntimeException e) {
      // The parser's message quotes the file's text: never echo it (it may be a key).
      throw new HelmRunnerException(
          Kind.USAGE,
          "kubeconfig "
              + file
              + " cannot be used"
              + (target.context() == null ? "" : " with context " + target.context())
              + " ("
              + e.getClass().getSimpleName()
              + "); check the file and --context",
          e);
    }
    KubeconfigProxy.apply(config, yaml, file);
    return config;
  }

  /**
   * Refuses a kubeconfig that is not one, and a {@code --context} it does not have, as kubectl
   * does: fabric8 would quietly fall back to the current context, and a mistyped context would
   * install into another cluster. No message quotes the file: it may not be a kubeconfig at all.
   */
  static void requireContext(KubeTarget target, String yaml) {
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = KubeConfigUtils.parseConfigFromString(yaml);
    } catch (RuntimeException e) {
      parsed = null;
    }
    if (parsed == null || parsed.getContexts() == null && parsed.getClusters() == null) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "kubeconfig "
              + target.kubeconfig()
              + " is not a kubeconfig (YAML with clusters, users and contexts); check the"
              + " --kubeconfig path");
    }
    if (target.context() == null) {
      return;
    }
    List<String> names =
        parsed.getContexts() == null
            ? List.of()
            : parsed.getContexts().stream().map(NamedContext::getName).toList();
    if (!names.contains(target.context())) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "context "
              + target.context()
              + " is not in kubeconfig "
              + target.kubeconfig()
              + (names.isEmpty()
                  ? " (it has no contexts)"
                  : " (it has " + String.join(", ", names) + ")")
              + "; pass one of its contexts to --context");
    }
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
        Kind.CLUSTER, unreachable(url, " from " + kubeconfig, root.getMessage()), e);
  }

  /**
   * Why the cluster at {@code url} did not answer, and what to do: a TLS failure (the server's
   * certificate and the kubeconfig's authority disagree) is no matter of starting anything.
   */
  public static String unreachable(String url, String fromKubeconfig, String reason) {
    String r = String.valueOf(reason);
    boolean tls =
        r.contains("certificate")
            || r.contains("x509")
            || r.contains("PKIX")
            || r.contains("SSLHandshake")
            || r.contains("tls:");
    if (tls) {
      return "the cluster at "
          + url
          + fromKubeconfig
          + " did not prove its identity ("
          + r
          + "): its certificate does not match the kubeconfig's certificate authority (a"
          + " recreated cluster, or another server at that address); fetch its current kubeconfig"
          + " (for a k3sbox cluster: k3sbox kubeconfig --name NAME)";
    }
    return "cannot reach the cluster at "
        + url
        + fromKubeconfig
        + " ("
        + r
        + "); start it (k3sbox up) or pick another --kubeconfig/--context";
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

  /** fabric8's HTTP client, with the kubeconfig's credentials, TLS, proxy and retries. */
  public HttpClient http() {
    return client.getHttpClient();
  }

  /**
   * fabric8's HTTP client without its own retries (it retries every answer of 500 and up): for
   * requests whose caller retries only what can change ({@link ObjectApplier}).
   */
  public synchronized HttpClient httpWithoutRetries() {
    if (noRetries == null) {
      RequestConfig config =
          new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
              .withRequestRetryBackoffLimit(0)
              .build();
      noRetries = client.getHttpClient().newBuilder().tag(config).build();
    }
    return noRetries;
  }

  /** The absolute URL of an API {@code path} (from {@link #path}) on this cluster. */
  public String apiUrl(String path) {
    String master = client.getConfiguration().getMasterUrl();
    return (master.endsWith("/") ? master.substring(0, master.length() - 1) : master) + path;
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

  /** Drops what discovery said about {@code apiVersion}, e.g. while a new CRD's group appears. */
  public void forgetDiscovery(String apiVersion) {
    discovery.remove(apiVersion);
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

  /**
   * An object's metadata only (labels, annotations, deletion mark), as {@code kubectl get -o name}
   * asks for it ({@code PartialObjectMetadata}); empty when the object or its kind is not there. A
   * CRD's metadata is a few hundred bytes where the CRD is up to a megabyte, which over TLS cost
   * more than all the dry runs of a chart.
   */
  public Optional<ObjectMeta> metadata(ObjectRef ref) {
    return metadata(ref, "");
  }

  /**
   * {@link #metadata}, read from the API server's watch cache ({@code resourceVersion=0}, as
   * informers list) rather than from etcd: the server then neither reads nor decodes the whole
   * object, which for kube-prometheus-stack's ten CRDs was ~15% of the server's CPU per validate
   * (pprof of kube-apiserver). The cache may lag etcd by milliseconds; for a scratch object that
   * only widens, by as much, the window in which another run's change after the read goes unseen.
   */
  public Optional<ObjectMeta> cachedMetadata(ObjectRef ref) {
    return metadata(ref, "?resourceVersion=0");
  }

  private Optional<ObjectMeta> metadata(ObjectRef ref, String query) {
    Optional<ResourceType> type = resourceType(ref.apiVersion(), ref.kind());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    HttpRequest request =
        http()
            .newHttpRequestBuilder()
            .uri(apiUrl(path(type.get(), ref.namespace(), ref.name()) + query))
            .header("Accept", ObjectApplier.METADATA_ONLY)
            .build();
    try {
      HttpResponse<byte[]> response = http().sendAsync(request, byte[].class).get();
      if (response.code() == 404) {
        return Optional.empty();
      }
      if (!response.isSuccessful()) {
        throw new KubernetesClientException(
            "reading " + ref.display() + ": HTTP " + response.code(), response.code(), null);
      }
      return Optional.ofNullable(
          client
              .getKubernetesSerialization()
              .unmarshal(
                  new String(response.body(), StandardCharsets.UTF_8),
                  GenericKubernetesResource.class)
              .getMetadata());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmRunnerException(Kind.CLUSTER, "interrupted while reading " + ref.display(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new KubernetesClientException(
          "reading " + ref.display() + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * The request path of one object. Names are percent-encoded: an invalid name (a space, a capital
   * letter with an underscore) must still reach the server, whose refusal names the rule broken.
   */
  public static String path(ResourceType type, String namespace, String name) {
    String base =
        type.group().isEmpty() ? "/api/v1" : "/apis/" + type.group() + "/" + type.version();
    String ns = type.namespaced() ? "/namespaces/" + segment(namespace) : "";
    return base + ns + "/" + type.plural() + "/" + segment(name);
  }

  /** RFC 3986 path segment: unreserved characters as they are, every other byte as %XX. */
  static String segment(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
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
