package dev.k3sbox.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterRecordTest {
  @TempDir Path dir;

  @Test
  void shouldReadBackWhatItWrote() throws Exception {
    // Given
    var record =
        new ClusterRecord(
            "dev",
            "https://127.0.0.1:6443",
            "k3sbox/controlplane-standin:v1.35.4",
            "0123abcd",
            6443,
            "127.0.0.1",
            "none",
            "host",
            "v1.35.4+k3sbox",
            java.util.List.of("--kube-apiserver-arg=audit-log-maxage=1", "--node-name=a b"));
    Path file = dir.resolve("state.properties");

    // When
    record.write(file);

    // Then
    assertThat(ClusterRecord.read(file)).contains(record);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldTreatATornOrMissingRecordAsNone() throws Exception {
    Path file = dir.resolve("state.properties");
    assertThat(ClusterRecord.read(file)).isEmpty();

    Files.writeString(file, "name=dev\nserver=https://127.0.0.1:6443\n");
    assertThat(ClusterRecord.read(file)).isEmpty();

    Files.writeString(
        file,
        "name=dev\nserver=s\nimage=i\ncontainerId=c\napiPort=not-a-number\nbindAddress=b\n"
            + "privilegeProfile=none\nnetworkMode=host\nkubernetesVersion=v\n");
    assertThat(ClusterRecord.read(file)).isEmpty();
    Files.writeString(file, Files.readString(file).replace("not-a-number", "6443"));
    assertThat(ClusterRecord.read(file)).map(ClusterRecord::apiPort).contains(6443);
    // a record from before --k3s-arg values were kept reads as having none
    assertThat(ClusterRecord.read(file)).map(ClusterRecord::k3sArgs).contains(java.util.List.of());
  }
}
