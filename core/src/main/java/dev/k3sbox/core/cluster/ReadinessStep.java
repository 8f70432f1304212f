package dev.k3sbox.core.cluster;

/**
 * One thing a booting server must have done before {@code up} calls it ready, checked by polling,
 * in order ({@link ServerReadiness}), as Testcontainers' wait strategies are: {@link
 * KubeconfigCopy}, {@link ApiReadyz}, {@link DefaultServiceAccount}.
 */
interface ReadinessStep {
  /** What is awaited, as the progress line and a timeout's message say it. */
  String awaited();

  /** Polls once: whether the step is reached now. */
  boolean reached();

  /**
   * Whether a step once reached stays reached (a copied kubeconfig), so it is not polled again; one
   * that can step back ({@code /readyz} flickers while the server settles) is polled each time.
   */
  default boolean stays() {
    return false;
  }
}
