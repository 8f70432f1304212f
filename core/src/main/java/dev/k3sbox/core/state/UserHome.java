package dev.k3sbox.core.state;

import java.nio.file.Path;

/**
 * The user's home folder as kubectl, Helm, kind and k3d see it: {@code $HOME}. Java's {@code
 * user.home} comes from the password database instead, so a CI job or a test that sets {@code HOME}
 * to isolate itself would still have its files written into the real home.
 */
public final class UserHome {
  private UserHome() {}

  public static Path get() {
    String home = System.getenv("HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"));
  }
}
