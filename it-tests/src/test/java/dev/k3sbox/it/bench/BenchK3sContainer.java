package dev.k3sbox.it.bench;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One Testcontainers {@code K3sContainer} start on the given image, timed from {@code start()} to
 * its kubeconfig being available (the baseline scripts/bench-up compares {@code up} with). Prints
 * the milliseconds on stdout.
 */
public final class BenchK3sContainer {
  private BenchK3sContainer() {}

  public static void main(String[] args) {
    DockerImageName image = DockerImageName.parse(args[0]).asCompatibleSubstituteFor("rancher/k3s");
    long started = System.nanoTime();
    // K3sContainer's constructor asks for the Docker host before Testcontainers has a client
    // (NullPointerException in 2.0.5): make the client first, inside the timing, as a test would.
    DockerClientFactory.instance().client();
    try (K3sContainer k3s =
        new K3sContainer(image)
            .withPrivilegedMode(false)
            .waitingFor(Wait.forLogMessage(".*API server ready.*", 1))) {
      k3s.start();
      String kubeconfig = k3s.getKubeConfigYaml();
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (kubeconfig.isBlank()) {
        throw new IllegalStateException("no kubeconfig");
      }
      System.out.println(ms);
    }
  }
}
