package dev.agentexecutor.agent.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A model's request to call a tool: the id pairs it with the tool message that answers it. */
public record ToolCall(String id, String name, ObjectNode args) {
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(args, "args");
  }
}
