package dev.k3sbox.core.kubeconfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM certificates and keys found in kubeconfigs. k3s and kubeadm write EC keys in SEC1
 * form ("EC PRIVATE KEY") and RSA keys in PKCS#1 form; the JDK reads only PKCS#8, so those are
 * wrapped into PKCS#8 here rather than pulling in a crypto library.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
  private static final byte[] OID_EC_PUBLIC_KEY = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final byte[] OID_RSA = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] DER_NULL = {0x05, 0x00};

  private Pem() {}

  public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certs = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals("CERTIFICATE")) {
        certs.add(
            (X509Certificate)
                factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      }
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no PEM certificate found");
    }
    return certs;
  }

  public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      byte[] der = decode(m.group(2));
      switch (m.group(1)) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "EC PRIVATE KEY":
          return KeyFactory.getInstance("EC")
              .generatePrivate(new PKCS8EncodedKeySpec(wrapSec1(der)));
        case "RSA PRIVATE KEY":
          byte[] algorithm = sequence(concat(OID_RSA, DER_NULL));
          return KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8Envelope(algorithm, der)));
        default:
          // Other blocks (e.g. EC PARAMETERS) precede the key in some files.
      }
    }
    throw new GeneralSecurityException("no PEM private key found");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm: PKCS#8 names it only inside the DER
      }
    }
    throw new GeneralSecurityException("unsupported PKCS#8 private key");
  }

  /** SEC1 ECPrivateKey carries its curve OID in the [0] field; PKCS#8 wants it outside. */
  private static byte[] wrapSec1(byte[] sec1) throws GeneralSecurityException {
    byte[] curve = findCurveOid(sec1);
    byte[] algorithm = sequence(concat(OID_EC_PUBLIC_KEY, curve));
    return pkcs8Envelope(algorithm, sec1);
  }

  /**
   * The named-curve OID of a SEC1 {@code ECPrivateKey}: SEQUENCE { version INTEGER, privateKey
   * OCTET STRING, parameters [0] OID OPTIONAL, publicKey [1] BIT STRING OPTIONAL }. Walked field by
   * field: a scan for the bytes of a [0] tag also finds them inside the random private key, about
   * one key in a thousand, and then read a length out of key material.
   */
  static byte[] findCurveOid(byte[] sec1) throws GeneralSecurityException {
    try {
      Der key = Der.at(sec1, 0).expect(0x30);
      Der privateKey = key.firstChild().next(); // after the version
      Der field = privateKey.end() < key.end() ? privateKey.next() : null;
      if (field != null && field.tag() == 0xa0) {
        Der oid = field.firstChild().expect(0x06);
        return Arrays.copyOfRange(sec1, oid.start, oid.end());
      }
    } catch (IndexOutOfBoundsException e) {
      throw new GeneralSecurityException("EC private key is not valid DER", e);
    }
    throw new GeneralSecurityException("EC private key names no curve");
  }

  /** One DER element of {@code bytes} at {@code start}: its tag, and where its content lies. */
  private record Der(byte[] bytes, int start, int contentStart, int contentLength) {
    /** The element whose header starts at {@code start}, its header decoded once. */
    static Der at(byte[] bytes, int start) {
      int first = bytes[start + 1] & 0xff;
      if (first == 0x80 || first > 0x84) {
        // indefinite (not DER) or longer than an int
        throw new IndexOutOfBoundsException("DER length form " + first + " not supported");
      }
      int lengthBytes = first < 0x80 ? 0 : first & 0x7f;
      int length = first < 0x80 ? first : 0;
      for (int i = 0; i < lengthBytes; i++) {
        length = (length << 8) | (bytes[start + 2 + i] & 0xff);
      }
      int contentStart = start + 2 + lengthBytes;
      if (length < 0 || contentStart + length > bytes.length) {
        throw new IndexOutOfBoundsException("DER length past the end");
      }
      return new Der(bytes, start, contentStart, length);
    }

    int tag() {
      return bytes[start] & 0xff;
    }

    int end() {
      return contentStart + contentLength;
    }

    Der expect(int tag) throws GeneralSecurityException {
      if (tag() != tag) {
        throw new GeneralSecurityException(
            "EC private key: DER tag " + tag() + " where " + tag + " belongs");
      }
      return this;
    }

    Der firstChild() {
      return at(bytes, contentStart);
    }

    Der next() {
      return at(bytes, end());
    }
  }

  private static byte[] pkcs8Envelope(byte[] algorithm, byte[] key) {
    byte[] version = {0x02, 0x01, 0x00};
    return sequence(concat(version, algorithm, tlv(0x04, key)));
  }

  private static byte[] sequence(byte[] content) {
    return tlv(0x30, content);
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64);
  }
}
