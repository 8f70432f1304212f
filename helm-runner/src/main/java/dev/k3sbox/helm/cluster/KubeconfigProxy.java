package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A kubeconfig cluster's {@code proxy-url}, used as kubectl uses it: for every request to that
 * cluster. fabric8 8.0 files an {@code http://} proxy-url under the wrong scheme and so drops it
 * for an {@code https://} server, sending the requests past the proxy
 * (fabric8io/kubernetes-client#7948, open). It would also speak plain HTTP to an {@code https://}
 * proxy; that is refused here rather than done insecurely.
 */
final class KubeconfigProxy {
  private KubeconfigProxy() {}

  /** Points {@code config} at the proxy that {@code yaml} names for {@code context}'s cluster. */
  static void apply(Config config, String yaml, String context, Path file) {
    if (!yaml.contains("proxy-url")) {
      return; // the common case costs no second parse
    }
    Optional<String> proxy = proxyUrl(yaml, context);
    if (proxy.isEmpty()) {
      return;
    }
    String url = proxy.get();
    if (url.startsWith("https://")) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "kubeconfig "
              + file
              + " names proxy-url "
              + url
              + ", a proxy reached over TLS, which k3sbox's HTTP client cannot do; use an http://"
              + " or socks5:// proxy-url, or HTTPS_PROXY");
    }
    if (config.getMasterUrl().startsWith("https:")) {
      config.setHttpsProxy(url);
    } else {
      config.setHttpProxy(url);
    }
  }

  /** The proxy-url of the cluster that {@code context} (else the current context) uses. */
  static Optional<String> proxyUrl(String yaml, String context) {
    Object loaded = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    if (!(loaded instanceof Map<?, ?> root)) {
      return Optional.empty();
    }
    Object name = context != null ? context : root.get("current-context");
    Optional<Object> cluster =
        named(root.get("contexts"), name)
            .map(c -> field(c, "context"))
            .map(c -> field(c, "cluster"));
    return cluster
        .flatMap(c -> named(root.get("clusters"), c))
        .map(c -> field(field(c, "cluster"), "proxy-url"))
        .map(Object::toString)
        .filter(url -> !url.isBlank());
  }

  private static Optional<Object> named(Object list, Object name) {
    if (!(list instanceof List<?> entries) || name == null) {
      return Optional.empty();
    }
    return entries.stream()
        .filter(e -> e instanceof Map<?, ?> m && name.equals(m.get("name")))
        .map(e -> (Object) e)
        .findFirst();
  }

  private static Object field(Object map, String key) {
    return map instanceof Map<?, ?> m ? m.get(key) : null;
  }
}
