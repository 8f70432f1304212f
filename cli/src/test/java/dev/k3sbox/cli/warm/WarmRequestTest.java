package dev.k3sbox.cli.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmRequestTest {

  @Test
  void shouldReadTheFramesTheFrontWrites() throws IOException {
    byte[] bytes = frames('t', "true", 'a', "validate", 'a', "--set", 'a', "a=line\nnext", 'r', "");

    WarmRequest request = WarmRequest.read(new ByteArrayInputStream(bytes));

    assertThat(request.args()).containsExactly("validate", "--set", "a=line\nnext");
    assertThat(request.terminal()).isTrue();
  }

  @Test
  void shouldRefuseARequestCutShortOrOfUnknownFrames() {
    assertThatThrownBy(() -> WarmRequest.read(new ByteArrayInputStream(frames('a', "validate"))))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> WarmRequest.read(new ByteArrayInputStream(frames('z', "x"))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown");
  }

  @Test
  void shouldServeValidateAndTemplateOnly() {
    assertThat(request("validate", "./chart", "-f", "values.yaml").coldReason()).isEmpty();
    assertThat(request("template", "./chart").coldReason()).isEmpty();
    assertThat(request("install", "./chart").coldReason()).isPresent();
    assertThat(request("up").coldReason()).isPresent();
    assertThat(request().coldReason()).isPresent();
  }

  @Test
  void shouldLeaveStdinValuesAndUpgradeChecksToAJvmOfTheirOwn() {
    assertThat(request("validate", "./chart", "-f", "-").coldReason()).contains("reads stdin");
    assertThat(request("validate", "./chart", "--values=-").coldReason()).contains("reads stdin");
    assertThat(request("validate", "./chart", "-f-").coldReason()).contains("reads stdin");
    assertThat(request("validate", "./chart", "-vf-").coldReason()).contains("reads stdin");
    assertThat(request("validate", "@args.txt").coldReason()).contains("an argument file");
    assertThat(request("validate", "./my-chart-", "-f", "v.yaml").coldReason()).isEmpty();
    assertThat(request("validate", "./chart", "--upgrade-from", "./old").coldReason())
        .contains("an upgrade check");
  }

  private static WarmRequest request(String... args) {
    return new WarmRequest(List.of(args), false);
  }

  private static byte[] frames(Object... typeAndPayload) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (int i = 0; i < typeAndPayload.length; i += 2) {
        byte[] payload = ((String) typeAndPayload[i + 1]).getBytes(StandardCharsets.UTF_8);
        out.writeByte((Character) typeAndPayload[i]);
        out.writeInt(payload.length);
        out.write(payload);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }
}
