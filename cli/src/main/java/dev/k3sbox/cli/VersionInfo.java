package dev.k3sbox.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Versions baked in at build time (Maven resource filtering of k3sbox-version.properties). */
public final class VersionInfo implements IVersionProvider {
  private static final Properties PROPERTIES = load();

  public static String k3sbox() {
    return PROPERTIES.getProperty("k3sbox.version", "unknown");
  }

  public static String helmJava() {
    return PROPERTIES.getProperty("helm-java.version", "unknown");
  }

  public static String fabric8() {
    return PROPERTIES.getProperty("fabric8.version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"k3sbox " + k3sbox()};
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream("/k3sbox-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
