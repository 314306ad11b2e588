package dev.agentexecutor.core.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole state of one agent run, immutable: what a checkpoint stores and what state events show.
 * {@code extra} keeps the input payload's keys that the runtime does not interpret.
 */
public record AgentState(
    List<Message> messages,
    List<Todo> todos,
    Map<String, FileData> files,
    Map<String, JsonNode> extra,
    Usage usage,
    @JsonProperty("model_calls") int modelCalls) {

  public AgentState {
    messages = List.copyOf(messages);
    todos = List.copyOf(todos);
    files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    usage = usage == null ? Usage.ZERO : usage;
  }

  public static AgentState initial(
      List<Message> messages, Map<String, FileData> files, Map<String, JsonNode> extra) {
    return new AgentState(messages, List.of(), files, extra, Usage.ZERO, 0);
  }

  public AgentState withMessage(Message message) {
    List<Message> next = new ArrayList<>(messages.size() + 1);
    next.addAll(messages);
    next.add(message);
    return new AgentState(next, todos, files, extra, usage, modelCalls);
  }

  public AgentState withMessages(List<Message> replacement) {
    return new AgentState(replacement, todos, files, extra, usage, modelCalls);
  }

  public AgentState withTodos(List<Todo> replacement) {
    return new AgentState(messages, replacement, files, extra, usage, modelCalls);
  }

  public AgentState withFiles(Map<String, FileData> replacement) {
    return new AgentState(messages, todos, replacement, extra, usage, modelCalls);
  }

  public AgentState withFile(String path, FileData file) {
    Map<String, FileData> next = new TreeMap<>(files);
    next.put(path, file);
    return withFiles(next);
  }

  public AgentState withExtra(Map<String, JsonNode> replacement) {
    return new AgentState(messages, todos, files, replacement, usage, modelCalls);
  }

  public AgentState withUsage(Usage replacement) {
    return new AgentState(messages, todos, files, extra, replacement, modelCalls);
  }

  public AgentState afterModelCall(Usage callUsage) {
    return new AgentState(messages, todos, files, extra, usage.plus(callUsage), modelCalls + 1);
  }

  public Message lastMessage() {
    return messages.isEmpty() ? null : messages.get(messages.size() - 1);
  }
}
