package dev.k3sbox.cli;

import dev.k3sbox.core.Failure;

/**
 * The process exit codes of every k3sbox command. One failure has one code everywhere, so scripts
 * can branch on it; the table is printed in {@code k3sbox --help} and the README. The libraries
 * report kinds of failure ({@link Failure}, {@code HelmRunnerException.Kind}); only the CLI knows
 * their codes.
 */
public enum ExitCode {
  OK(0, "success"),
  INVALID(1, "validation found invalid objects, or an unexpected internal error"),
  USAGE(2, "bad flags or arguments (name, port, duration, file)"),
  UNAVAILABLE(
      3, "chart could not be rendered, cluster unreachable, or this sandbox cannot run k3sbox"),
  DOCKER(4, "no Docker daemon, and none could be started"),
  IMAGE(5, "no usable k3s image (build or load one with `k3sbox image`)"),
  PORT_IN_USE(6, "the API port is taken by another process"),
  KUBECONFIG(7, "a kubeconfig could not be read or written"),
  TIMEOUT(8, "the cluster did not become ready in time"),
  NOT_RUNNING(
      9, "status: the cluster is stopped, absent or unhealthy (0 only when running and ready)"),
  INTERRUPTED(130, "interrupted (Ctrl-C); what this run created was rolled back");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The code of a kind of failure core reports. */
  public static ExitCode of(Failure failure) {
    return switch (failure) {
      case USAGE -> USAGE;
      case UNAVAILABLE -> UNAVAILABLE;
      case DOCKER -> DOCKER;
      case IMAGE -> IMAGE;
      case PORT_IN_USE -> PORT_IN_USE;
      case KUBECONFIG -> KUBECONFIG;
      case TIMEOUT -> TIMEOUT;
      case NOT_RUNNING -> NOT_RUNNING;
      case INTERRUPTED -> INTERRUPTED;
      case INTERNAL -> INVALID;
    };
  }
}
