package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Json;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Translates our conversation messages to LangChain4j's and back. Tool calls keep their ids both
 * ways, so each tool result stays paired with the call it answers. Arguments the model sent that
 * are not a JSON object are kept as text under {@value #RAW_ARGUMENTS}, for the tool to reject.
 */
final class MessageConverter {
  static final String RAW_ARGUMENTS = "_raw_arguments";

  private MessageConverter() {}

  /** What LangChain4j's Anthropic mapper reads to put a cache breakpoint on a message. */
  private static final Map<String, Object> CACHE_BREAKPOINT = Map.of("cache_control", "ephemeral");

  static List<ChatMessage> toLangChain(List<Message> messages) {
    return toLangChain(messages, Set.of());
  }

  /** The messages, those at {@code cacheBreakpoints} marked as the end of a cached prefix. */
  static List<ChatMessage> toLangChain(List<Message> messages, Set<Integer> cacheBreakpoints) {
    List<ChatMessage> converted = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++)
      converted.add(toLangChain(messages.get(i), cacheBreakpoints.contains(i)));
    return converted;
  }

  static ChatMessage toLangChain(Message message) {
    return toLangChain(message, false);
  }

  private static ChatMessage toLangChain(Message message, boolean breakpoint) {
    Map<String, Object> attributes = breakpoint ? CACHE_BREAKPOINT : Map.of();
    return switch (message.role()) {
      case SYSTEM -> SystemMessage.from(message.content());
      case USER ->
          UserMessage.builder()
              .addContent(TextContent.from(message.content()))
              .attributes(attributes)
              .build();
      case ASSISTANT ->
          AiMessage.builder()
              .text(message.content().isEmpty() ? null : message.content())
              .toolExecutionRequests(
                  message.toolCalls().stream().map(MessageConverter::toRequest).toList())
              .attributes(attributes)
              .build();
      case TOOL ->
          ToolExecutionResultMessage.builder()
              .id(message.toolCallId())
              .toolName(message.name())
              .text(message.content())
              .attributes(attributes)
              .build();
    };
  }

  /**
   * Where Anthropic should cache the conversation: the last message (what the next call will reuse)
   * and the last message before the latest answer (where the previous call's prefix ended, so that
   * this call reads it). With the system prompt and tools that makes four, Anthropic's limit.
   */
  static Set<Integer> conversationBreakpoints(List<Message> messages) {
    Set<Integer> breakpoints = new TreeSet<>();
    int last = messages.size() - 1;
    if (last < 0 || messages.get(last).role() == Role.SYSTEM) return breakpoints;
    breakpoints.add(last);
    for (int i = last; i > 0; i--) {
      if (messages.get(i).role() == Role.ASSISTANT) {
        if (messages.get(i - 1).role() != Role.SYSTEM) breakpoints.add(i - 1);
        break;
      }
    }
    return breakpoints;
  }

  static Message fromLangChain(ChatMessage message) {
    return switch (message) {
      case SystemMessage system -> Message.system(system.text());
      case UserMessage user -> Message.user(user.singleText());
      case AiMessage ai -> fromAi(ai);
      case ToolExecutionResultMessage result ->
          Message.tool(result.id(), result.toolName(), result.text());
      default -> throw new IllegalArgumentException("unsupported message type " + message.type());
    };
  }

  static Message fromAi(AiMessage ai) {
    List<ToolCall> calls = new ArrayList<>();
    for (ToolExecutionRequest request : ai.toolExecutionRequests()) {
      String id =
          request.id() == null || request.id().isBlank() ? "call_" + calls.size() : request.id();
      calls.add(new ToolCall(id, request.name(), arguments(request.arguments())));
    }
    return Message.assistant(ai.text(), calls);
  }

  private static ToolExecutionRequest toRequest(ToolCall call) {
    return ToolExecutionRequest.builder()
        .id(call.id())
        .name(call.name())
        .arguments(Json.write(call.args()))
        .build();
  }

  static ObjectNode arguments(String json) {
    if (json == null || json.isBlank()) return Json.object();
    try {
      JsonNode parsed = Json.parse(json);
      if (parsed instanceof ObjectNode object) return object;
    } catch (RuntimeException notJson) {
      // Kept raw below: the model may repair its call once the tool reports the problem.
    }
    return Json.object().put(RAW_ARGUMENTS, json);
  }
}
