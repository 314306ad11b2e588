package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.model.ToolSpec;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns our tool descriptions (JSON Schema as Jackson trees) into LangChain4j's typed schema
 * elements. Covers what tool schemas use: object, string, number, integer, boolean, null, array,
 * enum, anyOf, nested objects, required and descriptions; unknown keywords are ignored.
 */
final class ToolSpecConverter {
  private ToolSpecConverter() {}

  static List<ToolSpecification> toSpecifications(List<ToolSpec> tools) {
    return tools.stream().map(ToolSpecConverter::toSpecification).toList();
  }

  static ToolSpecification toSpecification(ToolSpec tool) {
    return ToolSpecification.builder()
        .name(tool.name())
        .description(tool.description())
        .parameters(objectSchema(tool.parameters()))
        .build();
  }

  /** A schema that is missing or empty describes a tool without arguments. */
  static JsonObjectSchema objectSchema(JsonNode schema) {
    var builder = JsonObjectSchema.builder();
    if (schema == null || schema.isNull()) return builder.build();
    builder.description(description(schema));
    schema
        .path("properties")
        .properties()
        .forEach(p -> builder.addProperty(p.getKey(), element(p.getValue())));
    List<String> required = texts(schema.path("required"));
    if (!required.isEmpty()) builder.required(required);
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && additional.isBoolean())
      builder.additionalProperties(additional.asBoolean());
    return builder.build();
  }

  static JsonSchemaElement element(JsonNode schema) {
    if (schema.has("enum")) {
      return JsonEnumSchema.builder()
          .description(description(schema))
          .enumValues(texts(schema.get("enum")))
          .build();
    }
    if (schema.has("anyOf")) {
      List<JsonSchemaElement> options = new ArrayList<>();
      schema.get("anyOf").forEach(option -> options.add(element(option)));
      return JsonAnyOfSchema.builder().description(description(schema)).anyOf(options).build();
    }
    String description = description(schema);
    return switch (type(schema)) {
      case "object" -> objectSchema(schema);
      case "array" ->
          JsonArraySchema.builder().description(description).items(items(schema)).build();
      case "integer" -> JsonIntegerSchema.builder().description(description).build();
      case "number" -> JsonNumberSchema.builder().description(description).build();
      case "boolean" -> JsonBooleanSchema.builder().description(description).build();
      case "null" -> new JsonNullSchema();
      default -> JsonStringSchema.builder().description(description).build();
    };
  }

  /**
   * The schema's type; of a union like {@code ["string", "null"]} the first non-null member. A
   * schema without a type is an object if it lists properties, else treated as a string.
   */
  private static String type(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isTextual()) return type.asText();
    for (JsonNode member : type) {
      if (!"null".equals(member.asText())) return member.asText();
    }
    return schema.has("properties") ? "object" : "string";
  }

  /**
   * Arrays without an item schema get string items, the most permissive type every provider
   * accepts.
   */
  private static JsonSchemaElement items(JsonNode schema) {
    JsonNode items = schema.get("items");
    return items == null || !items.isObject() ? JsonStringSchema.builder().build() : element(items);
  }

  private static String description(JsonNode schema) {
    JsonNode description = schema.get("description");
    return description == null ? null : description.asText();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
