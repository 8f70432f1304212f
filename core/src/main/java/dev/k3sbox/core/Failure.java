package dev.k3sbox.core;

/**
 * What kind of failure a {@link K3sboxException} reports: what the user can do about it, not a
 * process exit code (the CLI maps each kind to its documented code).
 */
public enum Failure {
  /** Bad flags or arguments: a name, port, duration or file. */
  USAGE,
  /** A chart that does not render, a cluster out of reach, a sandbox that cannot run k3sbox. */
  UNAVAILABLE,
  /** No Docker daemon, and none could be started. */
  DOCKER,
  /** No usable server image. */
  IMAGE,
  /** The API port is taken by another process. */
  PORT_IN_USE,
  /** A kubeconfig could not be read or written. */
  KUBECONFIG,
  /** The cluster did not become ready in time. */
  TIMEOUT,
  /** The cluster is stopped, absent or unhealthy. */
  NOT_RUNNING,
  /** Interrupted (Ctrl-C, SIGTERM); what the run created was rolled back. */
  INTERRUPTED,
  /** Something k3sbox did not expect of itself or its host (a temporary folder it cannot make). */
  INTERNAL
}
