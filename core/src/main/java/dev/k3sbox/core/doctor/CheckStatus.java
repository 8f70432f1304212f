package dev.k3sbox.core.doctor;

import java.util.Locale;

/** The outcome of one doctor check. */
public enum CheckStatus {
  /** Works as k3sbox wants it. */
  OK,
  /** Works, but worse than it could (vfs storage), or does not matter for {@code up}. */
  WARN,
  /** Does not work here; the detail carries the daemon's or kernel's own reason. */
  FAIL;

  /** The JSON spelling: {@code ok}, {@code warn}, {@code fail}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
