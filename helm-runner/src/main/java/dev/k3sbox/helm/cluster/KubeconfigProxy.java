package dev.k3sbox.helm.cluster;

import dev.k3sbox.helm.HelmRunnerException;
import dev.k3sbox.helm.HelmRunnerException.Kind;
import io.fabric8.kubernetes.client.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A kubeconfig cluster's {@code proxy-url}, used as kubectl uses it: for every request to that
 * cluster, whatever {@code NO_PROXY} says. fabric8 8.0 files an {@code http://} proxy-url under the
 * wrong scheme and so drops it for an {@code https://} server, sending the requests past the proxy
 * (fabric8io/kubernetes-client#7948, open). It would also speak plain HTTP to an {@code https://}
 * proxy; that is refused here rather than done insecurely.
 */
final class KubeconfigProxy {
  private KubeconfigProxy() {}

  /** Whether {@code url}'s scheme is https, in any case. */
  static boolean isHttps(String url) {
    int colon = url.indexOf(':');
    return colon > 0 && url.substring(0, colon).strip().equalsIgnoreCase("https");
  }

  /** Points {@code config} at the proxy that {@code yaml} names for the context fabric8 chose. */
  static void apply(Config config, String yaml, Path file) {
    if (!yaml.contains("proxy-url")) {
      return; // the common case costs no second parse
    }
    String context =
        config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
    Optional<String> proxy;
    try {
      proxy = proxyUrl(yaml, context);
    } catch (YamlEngineException e) {
      return; // fabric8 read the file; what it could not, it did not use
    }
    if (proxy.isEmpty()) {
      return;
    }
    String url = proxy.get();
    if (isHttps(url)) {
      throw new HelmRunnerException(
          Kind.USAGE,
          "kubeconfig "
              + file
              + " names proxy-url "
              + withoutCredentials(url)
              + ", a proxy reached over TLS, which k3sbox's HTTP client cannot do; use an http://"
              + " or socks5:// proxy-url");
    }
    if (isHttps(config.getMasterUrl())) {
      config.setHttpsProxy(url);
    } else {
      config.setHttpProxy(url);
    }
    config.setNoProxy(new String[0]);
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

  /** {@code url} without its {@code user:password@}, for messages. */
  static String withoutCredentials(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getUserInfo() == null) {
        return url;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return url.replaceAll("//[^/@]*@", "//");
    }
  }

  private static Optional<Object> named(Object list, Object name) {
    if (!(list instanceof List<?> entries) || name == null) {
      return Optional.empty();
    }
    String wanted = String.valueOf(name);
    return entries.stream()
        .filter(e -> e instanceof Map<?, ?> m && wanted.equals(String.valueOf(m.get("name"))))
        .map(e -> (Object) e)
        .findFirst();
  }

  private static Object field(Object map, String key) {
    return map instanceof Map<?, ?> m ? m.get(key) : null;
  }
}
