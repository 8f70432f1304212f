/**
 * Renders Helm charts in-process (helm-java), validates every object by server-side dry run, and
 * installs and uninstalls by server-side apply. Packages: {@code render}, {@code parse}, {@code
 * cluster}, {@code validate}, {@code install}, {@code report}. Never prints; see {@link
 * dev.k3sbox.helm.HelmListener}.
 */
package dev.k3sbox.helm;
