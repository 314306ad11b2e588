package dev.agentexecutor.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/** A model's request to call a tool: the id pairs it with the tool message that answers it. */
public record ToolCall(String id, String name, ObjectNode args) {
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(args, "args");
  }

  /**
   * About how many characters the call takes as JSON: its id, name and the text of its arguments.
   */
  public long chars() {
    return id.length() + name.length() + jsonChars(args);
  }

  private static long jsonChars(JsonNode node) {
    if (node.isTextual()) return (long) node.textValue().length() + 2;
    if (!node.isContainerNode()) return node.asText().length();
    long chars = 2;
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        chars += field.getKey().length() + 4 + jsonChars(field.getValue());
      }
    } else {
      for (JsonNode element : node) chars += 1 + jsonChars(element);
    }
    return chars;
  }
}
