package dev.k3sbox.helm.cluster;

import java.nio.file.Path;

/**
 * Which cluster to talk to: a kubeconfig file and, optionally, one of its contexts. Nothing here is
 * specific to k3sbox, so the same commands work against any cluster.
 *
 * @param kubeconfig the kubeconfig file
 * @param context the context to use, or {@code null} for the file's current context
 */
public record KubeTarget(Path kubeconfig, String context) {}
