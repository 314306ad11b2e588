package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Json;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates our conversation messages to LangChain4j's and back. Tool calls keep their ids both
 * ways, so each tool result stays paired with the call it answers. Arguments the model sent that
 * are not a JSON object are kept as text under {@value #RAW_ARGUMENTS}, for the tool to reject.
 */
final class MessageConverter {
  static final String RAW_ARGUMENTS = "_raw_arguments";

  private MessageConverter() {}

  static List<ChatMessage> toLangChain(List<Message> messages) {
    return messages.stream().map(MessageConverter::toLangChain).toList();
  }

  static ChatMessage toLangChain(Message message) {
    return switch (message.role()) {
      case SYSTEM -> SystemMessage.from(message.content());
      case USER -> UserMessage.from(message.content());
      case ASSISTANT ->
          AiMessage.builder()
              .text(message.content().isEmpty() ? null : message.content())
              .toolExecutionRequests(
                  message.toolCalls().stream().map(MessageConverter::toRequest).toList())
              .build();
      case TOOL ->
          ToolExecutionResultMessage.from(message.toolCallId(), message.name(), message.content());
    };
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
