/** The k3sbox command line: picocli commands that drive core and helm-runner. */
package dev.k3sbox.cli;
