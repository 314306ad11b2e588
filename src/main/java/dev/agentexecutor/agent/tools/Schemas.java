package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.util.List;

/** Small builder for the JSON Schemas of built-in tools' arguments. */
final class Schemas {
  private final ObjectNode schema = Json.object().put("type", "object");
  private final ObjectNode properties = schema.putObject("properties");

  static Schemas object() {
    return new Schemas();
  }

  Schemas string(String name, String description) {
    properties.putObject(name).put("type", "string").put("description", description);
    return this;
  }

  Schemas integer(String name, String description) {
    properties.putObject(name).put("type", "integer").put("description", description);
    return this;
  }

  Schemas bool(String name, String description) {
    properties.putObject(name).put("type", "boolean").put("description", description);
    return this;
  }

  Schemas enumeration(String name, String description, List<String> values) {
    ObjectNode p = properties.putObject(name).put("type", "string").put("description", description);
    values.forEach(p.putArray("enum")::add);
    return this;
  }

  Schemas property(String name, ObjectNode propertySchema) {
    properties.set(name, propertySchema);
    return this;
  }

  ObjectNode required(String... names) {
    var required = schema.putArray("required");
    for (String name : names) required.add(name);
    return schema;
  }
}
