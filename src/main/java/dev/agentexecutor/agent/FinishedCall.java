package dev.agentexecutor.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Todo;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One finished tool call as a step records it: the message the model gets, what the call changed in
 * the state (relative to the state it was given) and the tokens its subagent used. A step merges
 * the changes of its calls in call order; a call of a batch is recorded as a pending write when it
 * finishes, so that a resumed step does not run it again.
 *
 * @param todos the todos the call wrote, or null when it left them alone
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FinishedCall(
    Message message,
    Map<String, FileData> written,
    List<String> deleted,
    List<Todo> todos,
    Usage usage) {

  FinishedCall {
    written = written == null ? Map.of() : new TreeMap<>(written);
    deleted = deleted == null ? List.of() : List.copyOf(deleted);
    todos = todos == null ? null : List.copyOf(todos);
    usage = usage == null ? Usage.ZERO : usage;
  }

  /** The call's result, with the changes between the state it was given and the one it returned. */
  static FinishedCall of(ToolCall call, ToolResult result, AgentState given, Usage usage) {
    AgentState after = result.state();
    Map<String, FileData> written = new TreeMap<>();
    List<String> deleted = new ArrayList<>();
    if (after.files() != given.files()) {
      after
          .files()
          .forEach(
              (path, file) -> {
                if (given.files().get(path) != file) written.put(path, file);
              });
      for (String path : given.files().keySet())
        if (!after.files().containsKey(path)) deleted.add(path);
    }
    List<Todo> todos = after.todos().equals(given.todos()) ? null : after.todos();
    return new FinishedCall(
        Message.tool(call.id(), call.name(), result.output()), written, deleted, todos, usage);
  }

  /** A call that did not run: the model is told why, nothing changes. */
  static FinishedCall notRun(ToolCall call, String reason) {
    return new FinishedCall(
        Message.tool(call.id(), call.name(), reason), Map.of(), List.of(), null, Usage.ZERO);
  }

  /** {@code state} with this call's changes (not its message): later calls' changes win. */
  AgentState applyTo(AgentState state) {
    AgentState next = state;
    if (!written.isEmpty() || !deleted.isEmpty()) {
      Map<String, FileData> files = new TreeMap<>(state.files());
      files.putAll(written);
      deleted.forEach(files::remove);
      next = next.withFiles(files);
    }
    if (todos != null) next = next.withTodos(todos);
    if (!usage.equals(Usage.ZERO)) next = next.withUsage(next.usage().plus(usage));
    return next;
  }
}
