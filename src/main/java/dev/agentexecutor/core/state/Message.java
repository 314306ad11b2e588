package dev.agentexecutor.core.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One conversation message. Assistant messages may carry tool calls; tool messages answer one call
 * by its id. Serialised as {@code {role, content, tool_calls?, tool_call_id?, name?}}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Message(
    Role role,
    String content,
    @JsonProperty("tool_calls") List<ToolCall> toolCalls,
    @JsonProperty("tool_call_id") String toolCallId,
    String name) {

  public Message {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static Message system(String content) {
    return new Message(Role.SYSTEM, content, List.of(), null, null);
  }

  public static Message user(String content) {
    return new Message(Role.USER, content, List.of(), null, null);
  }

  public static Message assistant(String content, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, content, toolCalls, null, null);
  }

  public static Message tool(String toolCallId, String toolName, String content) {
    return new Message(Role.TOOL, content, List.of(), toolCallId, toolName);
  }

  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  /** The size MAX_MESSAGE_CHARS bounds: the content and every tool call's name and arguments. */
  public long chars() {
    long chars = content.length();
    for (ToolCall call : toolCalls) chars += call.chars();
    return chars;
  }
}
