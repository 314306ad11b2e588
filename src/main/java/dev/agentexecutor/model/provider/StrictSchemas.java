package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a JSON Schema fits OpenAI's strict structured output: every object closes its properties
 * ({@code additionalProperties: false}) and requires all of them. OpenAI refuses other schemas in
 * strict mode, so those are sent without {@code strict} (the answer is validated here either way).
 */
final class StrictSchemas {
  private StrictSchemas() {}

  static boolean compatible(JsonNode schema) {
    if (schema == null || !schema.isObject()) return true;
    if (schema.has("properties") || "object".equals(schema.path("type").asText())) {
      if (!schema.path("additionalProperties").isBoolean()
          || schema.path("additionalProperties").asBoolean()) return false;
      Set<String> required = new HashSet<>();
      schema.path("required").forEach(name -> required.add(name.asText()));
      for (var property : schema.path("properties").properties()) {
        if (!required.contains(property.getKey()) || !compatible(property.getValue())) return false;
      }
    }
    if (!compatible(schema.get("items"))) return false;
    for (JsonNode option : schema.path("anyOf")) if (!compatible(option)) return false;
    return true;
  }
}
