package dev.agentexecutor.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.List;

/**
 * JSON Schema (draft 2020-12, the default dialect) through networknt's validator: checking a schema
 * a job supplies against the meta-schema, and an instance against a schema. Nothing is ever
 * fetched: the registry loads only the meta-schemas it ships, so a job's {@code $ref} to a URL is
 * an error, never a request.
 */
public final class JsonSchemas {
  /** Violations name the value by JSON path ({@code $.score}), as our problems do. */
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          registry ->
              registry.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build()));

  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  /** At most this many violations are reported at once. */
  private static final int MAX_VIOLATIONS = 20;

  private JsonSchemas() {}

  /** A compiled schema: what an instance must match. */
  public static final class Validator {
    private final Schema schema;

    private Validator(Schema schema) {
      this.schema = schema;
    }

    /** Each way {@code instance} breaks the schema ("$.field: message"), empty when it matches. */
    public List<String> violations(JsonNode instance) {
      return describe(schema.validate(instance));
    }
  }

  /** Why {@code schema} is not a valid 2020-12 schema, empty when it is one. */
  public static List<String> schemaProblems(JsonNode schema) {
    try {
      List<String> problems =
          describe(REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA)).validate(schema));
      if (!problems.isEmpty()) return problems;
      compile(schema).violations(Json.object()); // resolves every $ref once
      return List.of();
    } catch (RuntimeException e) {
      return List.of(String.valueOf(e.getMessage()));
    }
  }

  /** The schema compiled; throws when it cannot be (check {@link #schemaProblems} first). */
  public static Validator compile(JsonNode schema) {
    return new Validator(REGISTRY.getSchema(schema));
  }

  private static List<String> describe(List<Error> errors) {
    return errors.stream().limit(MAX_VIOLATIONS).map(Error::toString).toList();
  }
}
