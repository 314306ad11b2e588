package dev.agentexecutor.model.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Json;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageConverterTest {
  private final List<Message> conversation =
      List.of(
          Message.system("You plan."),
          Message.user("Write two files"),
          Message.assistant(
              "On it",
              List.of(
                  new ToolCall("call_1", "write_file", Json.object().put("path", "a.txt")),
                  new ToolCall("call_2", "write_file", Json.object().put("path", "b.txt")))),
          Message.tool("call_2", "write_file", "wrote b.txt"),
          Message.tool("call_1", "write_file", "wrote a.txt"),
          Message.assistant("Done", List.of()));

  @Test
  void convertsEachRoleToTheMatchingLangChainMessage() {
    List<ChatMessage> converted = MessageConverter.toLangChain(conversation);

    assertThat(converted)
        .hasExactlyElementsOfTypes(
            SystemMessage.class,
            UserMessage.class,
            AiMessage.class,
            ToolExecutionResultMessage.class,
            ToolExecutionResultMessage.class,
            AiMessage.class);
    AiMessage withCalls = (AiMessage) converted.get(2);
    assertThat(withCalls.toolExecutionRequests())
        .extracting(ToolExecutionRequest::id)
        .containsExactly("call_1", "call_2");
    assertThat(withCalls.toolExecutionRequests().get(0).arguments())
        .isEqualTo("{\"path\":\"a.txt\"}");
    var result = (ToolExecutionResultMessage) converted.get(3);
    assertThat(result.id()).isEqualTo("call_2");
    assertThat(result.toolName()).isEqualTo("write_file");
    assertThat(result.text()).isEqualTo("wrote b.txt");
  }

  @Test
  void roundTripKeepsToolCallsPairedWithTheirResultsById() {
    List<Message> back =
        MessageConverter.toLangChain(conversation).stream()
            .map(MessageConverter::fromLangChain)
            .toList();

    assertThat(back).isEqualTo(conversation);
  }

  @Test
  void keepsArgumentsThatAreNotAJsonObjectAsRawText() {
    var ai =
        AiMessage.from(
            ToolExecutionRequest.builder().id("c").name("ls").arguments("{not json").build());

    ToolCall call = MessageConverter.fromAi(ai).toolCalls().get(0);

    assertThat(call.args().path(MessageConverter.RAW_ARGUMENTS).asText()).isEqualTo("{not json");
  }

  @Test
  void givesToolCallsWithoutAnIdAPositionalOne() {
    var ai = AiMessage.from(ToolExecutionRequest.builder().name("ls").arguments("").build());

    ToolCall call = MessageConverter.fromAi(ai).toolCalls().get(0);

    assertThat(call.id()).isEqualTo("call_0");
    assertThat(call.args().isEmpty()).isTrue();
  }
}
