package dev.k3sbox.core.doctor;

/** One row of the doctor report: what was checked, how it went, and why. */
public record Check(CheckId id, CheckStatus status, String detail) {

  public static Check ok(CheckId id, String detail) {
    return new Check(id, CheckStatus.OK, detail);
  }

  public static Check warn(CheckId id, String detail) {
    return new Check(id, CheckStatus.WARN, detail);
  }

  public static Check fail(CheckId id, String detail) {
    return new Check(id, CheckStatus.FAIL, detail);
  }

  public String name() {
    return id.title();
  }

  public boolean isOk() {
    return status == CheckStatus.OK;
  }
}
