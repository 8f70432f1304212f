package dev.k3sbox.it.support;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real API server per test JVM, shared by every IT that needs a cluster: a Testcontainers
 * {@link K3sContainer} of the k3sbox control-plane image, started on first use and stopped when the
 * JVM exits. {@code -Dk3sbox.kubeconfig=FILE} uses an already running cluster instead.
 *
 * <p>No image is ever pulled. Without the image (or Docker) the ITs are skipped with the reason
 * printed, or fail when {@code -Dk3sbox.requireImage=true}, so CI cannot pass by skipping.
 */
public final class SharedK3s {
  static final String DEFAULT_IMAGE = "k3sbox/controlplane-standin:v1.35.4";

  private static Path kubeconfig;
  private static K3sContainer container;

  private SharedK3s() {}

  /** The kubeconfig of the shared cluster, starting it on first use. */
  public static synchronized Path kubeconfig() {
    if (kubeconfig == null) {
      String external = System.getProperty("k3sbox.kubeconfig");
      kubeconfig = external != null && !external.isBlank() ? Path.of(external) : start();
      awaitDefaultServiceAccount();
    }
    return kubeconfig;
  }

  /** A fresh client for the shared cluster; close it after use. */
  public static KubernetesClient client() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig()), null))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String image() {
    String image = System.getProperty("k3sbox.image");
    // Without -Dk3sbox.image, failsafe's systemPropertyVariables set it to "" (Maven 3.9.11,
    // failsafe 3.5.3); outside Maven it is not set at all.
    return image == null || image.isBlank() ? DEFAULT_IMAGE : image;
  }

  private static Path start() {
    String image = image();
    requireImage(image);
    container =
        new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"))
            // Privileged containers fail here: CAP_SYS_RESOURCE is outside the bounding set.
            .withPrivilegedMode(false)
            .waitingFor(
                Wait.forLogMessage(".*API server ready.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(3)));
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-shared-k3s"));
    try {
      Path file = Files.createTempFile("shared-k3s", ".yaml");
      Files.writeString(file, container.getKubeConfigYaml());
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips (or, with -Dk3sbox.requireImage=true, fails) when Docker or the image is missing. */
  public static void requireImage(String image) {
    String reason = null;
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      reason = "no Docker daemon is reachable";
    } else {
      try {
        DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        reason =
            "image "
                + image
                + " is not present locally (it is built, never pulled); build it or pass"
                + " -Dk3sbox.image=... or -Dk3sbox.kubeconfig=...";
      }
    }
    if (reason != null) {
      if (Boolean.getBoolean("k3sbox.requireImage")) {
        Assertions.fail("integration tests need a cluster but " + reason);
      }
      System.out.println("SKIPPED k3s integration tests: " + reason);
      Assumptions.abort(reason);
    }
  }

  private static void awaitDefaultServiceAccount() {
    // /readyz is OK before the controller manager has made the default ServiceAccount, and
    // namespaced objects that name no account are only accepted once it exists.
    try (KubernetesClient client = client()) {
      await("the default ServiceAccount in namespace default")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () ->
                  client.serviceAccounts().inNamespace("default").withName("default").get()
                      != null);
    }
  }
}
