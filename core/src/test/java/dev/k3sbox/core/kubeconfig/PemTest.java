package dev.k3sbox.core.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PemTest {
  private static final byte[] P256 = {
    0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07
  };

  @Test
  void shouldReadSec1KeyWhosePrivateBytesLookLikeTheCurveTag() throws Exception {
    // Given: the private scalar holds a0 ?? 06 ff, which a scan for "[0] then OID" took for the
    // curve field, reading a length of 255 out of key material
    byte[] scalar = new byte[32];
    scalar[0] = 0x01;
    scalar[2] = (byte) 0xa0;
    scalar[4] = 0x06;
    scalar[5] = (byte) 0xff;
    String pem = pem(sec1(scalar, true));

    // When
    ECPrivateKey key = (ECPrivateKey) Pem.privateKey(pem);

    // Then
    assertThat(key.getS()).isEqualTo(new BigInteger(1, scalar));
    assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
  }

  @Test
  void shouldFindTheCurveAfterTheVersionAndPrivateKey() throws Exception {
    // Given
    byte[] sec1 = sec1(new byte[] {0x01, 0x02}, true);

    // When
    byte[] oid = Pem.findCurveOid(sec1);

    // Then
    assertThat(oid).isEqualTo(P256);
  }

  @Test
  void shouldRefuseSec1KeyWithoutCurve() {
    // Given
    byte[] sec1 = sec1(new byte[] {0x01, (byte) 0xa0, 0x00, 0x06, 0x02}, false);

    // When / Then
    assertThatThrownBy(() -> Pem.findCurveOid(sec1))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("names no curve");
  }

  @Test
  void shouldRefuseTruncatedSec1Key() {
    // Given
    byte[] whole = sec1(new byte[32], true);
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 4);

    // When / Then
    assertThatThrownBy(() -> Pem.findCurveOid(truncated))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void shouldRefuseIndefiniteOrOverlongLengths() {
    for (int form : new int[] {0x80, 0x85, 0xff}) {
      // Given
      byte[] sec1 = {0x30, (byte) form, 0x02, 0x01, 0x01};

      // When / Then
      assertThatThrownBy(() -> Pem.findCurveOid(sec1))
          .as("length form %x", form)
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  /** SEQUENCE { INTEGER 1, OCTET STRING scalar, [0] { prime256v1 } when asked }. */
  private static byte[] sec1(byte[] scalar, boolean withCurve) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(new byte[] {0x02, 0x01, 0x01, 0x04, (byte) scalar.length});
    content.writeBytes(scalar);
    if (withCurve) {
      content.write(0xa0);
      content.write(P256.length);
      content.writeBytes(P256);
    }
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    der.write(0x30);
    der.write(content.size());
    der.writeBytes(content.toByteArray());
    return der.toByteArray();
  }

  private static String pem(byte[] der) {
    return "-----BEGIN EC PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END EC PRIVATE KEY-----\n";
  }
}
