package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Todo;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** write_todos: replaces the agent's plan, a list of {content, status}. */
public final class WriteTodosTool implements Tool {
  private static final Set<String> STATUSES = Set.of("pending", "in_progress", "completed");
  private static final ToolSpec SPEC =
      new ToolSpec(
          "write_todos",
          "Create or update your todo list for the current task. Use it for tasks of three or more "
              + "steps: write the plan first, mark one item in_progress before you start it and "
              + "completed as soon as it is done. Each call replaces the whole list.",
          Schemas.object().property("todos", todosSchema()).required("todos"));

  private static ObjectNode todosSchema() {
    ObjectNode array =
        Json.object().put("type", "array").put("description", "The complete, updated todo list.");
    ObjectNode item = array.putObject("items").put("type", "object");
    ObjectNode props = item.putObject("properties");
    props.putObject("content").put("type", "string").put("description", "What to do.");
    ObjectNode status = props.putObject("status").put("type", "string");
    status.putArray("enum").add("pending").add("in_progress").add("completed");
    item.putArray("required").add("content").add("status");
    return array;
  }

  @Override
  public ToolSpec spec() {
    return SPEC;
  }

  @Override
  public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
    JsonNode todos = args.get("todos");
    if (todos == null || !todos.isArray())
      throw new ToolException("argument 'todos' must be a list of {content, status}");
    List<Todo> plan = new ArrayList<>();
    for (JsonNode item : todos) {
      String content = item.path("content").asText("");
      String status = item.path("status").asText("pending");
      if (content.isBlank()) throw new ToolException("every todo needs a non-empty 'content'");
      if (!STATUSES.contains(status)) {
        throw new ToolException(
            "todo status '" + status + "' is not one of pending, in_progress, completed");
      }
      plan.add(new Todo(content, status));
    }
    return ToolResult.ok("Updated todo list to " + Json.write(plan), state.withTodos(plan));
  }
}
