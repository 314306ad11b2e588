package dev.agentexecutor.model.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import org.junit.jupiter.api.Test;

class ToolSpecConverterTest {

  @Test
  void convertsEveryJsonSchemaConstructToolsUse() {
    ObjectNode schema =
        (ObjectNode)
            Json.parse(
                """
                {"type": "object", "description": "Todo update", "additionalProperties": false,
                 "properties": {
                   "title":    {"type": "string", "description": "Short title"},
                   "priority": {"type": "integer"},
                   "weight":   {"type": "number"},
                   "done":     {"type": "boolean"},
                   "status":   {"type": "string", "enum": ["pending", "in_progress", "completed"]},
                   "tags":     {"type": "array", "items": {"type": "string"}},
                   "note":     {"type": ["string", "null"]},
                   "target":   {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                   "owner":    {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}},
                 "required": ["title", "status"]}
                """);

    ToolSpecification spec =
        ToolSpecConverter.toSpecification(new ToolSpec("write_todos", "Updates todos", schema));

    assertThat(spec.name()).isEqualTo("write_todos");
    assertThat(spec.description()).isEqualTo("Updates todos");
    JsonObjectSchema parameters = spec.parameters();
    assertThat(parameters.description()).isEqualTo("Todo update");
    assertThat(parameters.required()).containsExactly("title", "status");
    assertThat(parameters.additionalProperties()).isFalse();
    var properties = parameters.properties();
    assertThat(properties.get("title")).isInstanceOf(JsonStringSchema.class);
    assertThat(properties.get("title").description()).isEqualTo("Short title");
    assertThat(properties.get("priority")).isInstanceOf(JsonIntegerSchema.class);
    assertThat(properties.get("weight")).isInstanceOf(JsonNumberSchema.class);
    assertThat(properties.get("done")).isInstanceOf(JsonBooleanSchema.class);
    assertThat(((JsonEnumSchema) properties.get("status")).enumValues())
        .containsExactly("pending", "in_progress", "completed");
    assertThat(((JsonArraySchema) properties.get("tags")).items())
        .isInstanceOf(JsonStringSchema.class);
    assertThat(properties.get("note")).isInstanceOf(JsonStringSchema.class);
    assertThat(((JsonAnyOfSchema) properties.get("target")).anyOf()).hasSize(2);
    JsonObjectSchema owner = (JsonObjectSchema) properties.get("owner");
    assertThat(owner.properties().get("name")).isInstanceOf(JsonStringSchema.class);
    assertThat(owner.required()).containsExactly("name");
  }

  @Test
  void aToolWithoutParametersGetsAnEmptyObjectSchema() {
    ToolSpecification spec =
        ToolSpecConverter.toSpecification(new ToolSpec("read_todos", "Lists todos", null));

    assertThat(spec.parameters().properties()).isEmpty();
  }

  @Test
  void arraysOfObjectsKeepTheirItemSchema() {
    ObjectNode schema =
        (ObjectNode)
            Json.parse(
                """
                {"type": "object", "properties": {"todos": {"type": "array",
                  "items": {"type": "object", "properties": {"content": {"type": "string"}}}}}}
                """);

    JsonObjectSchema parameters = ToolSpecConverter.objectSchema(schema);

    var items = ((JsonArraySchema) parameters.properties().get("todos")).items();
    assertThat(((JsonObjectSchema) items).properties()).containsKey("content");
  }
}
