package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputPayloadTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String AT = "$.input_payload";

  private static ObjectNode payload(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private static List<Problem> problems(String json) {
    return InputPayload.problems(payload(json), AT);
  }

  @Test
  void messagesBecomeTheConversationInOrder() {
    AgentState state =
        InputPayload.initialState(
            payload(
                """
        {"messages": [{"role": "system", "content": "Be brief."}, {"role": "human", "content": "Hi"},
                      {"role": "ai", "content": [{"type": "text", "text": "Hello"}, " there"]}]}"""),
            NOW);

    assertThat(state.messages())
        .extracting(Message::role, Message::content)
        .containsExactly(
            tuple(Role.SYSTEM, "Be brief."),
            tuple(Role.USER, "Hi"),
            tuple(Role.ASSISTANT, "Hello there"));
  }

  @Test
  void instructionsAndContextBecomeOneUserMessageAfterTheMessages() {
    AgentState state =
        InputPayload.initialState(
            payload(
                """
        {"messages": [{"role": "user", "content": "Earlier"}],
         "instructions": "  Write a report.  ", "context": {"audience": "engineers"}}"""),
            NOW);

    assertThat(state.messages()).hasSize(2);
    assertThat(state.messages().get(1).role()).isEqualTo(Role.USER);
    assertThat(state.messages().get(1).content())
        .isEqualTo("Write a report.\n\nContext:\n{\n  \"audience\" : \"engineers\"\n}");
  }

  @Test
  void textContextIsUsedAsIs() {
    AgentState state = InputPayload.initialState(payload("{\"context\": \"Q3 numbers\"}"), NOW);

    assertThat(state.lastMessage().content()).isEqualTo("Context:\nQ3 numbers");
  }

  @Test
  void filesSeedTheFileSystemAtAbsolutePaths() {
    AgentState state =
        InputPayload.initialState(
            payload(
                """
        {"instructions": "Edit", "files": {"notes.md": "a\\nb", "/docs/x.md": ""}}"""),
            NOW);

    assertThat(Json.tree(state.files()))
        .isEqualTo(
            Json.parse(
                """
        {"/docs/x.md": {"content": [""], "created_at": "2025-03-01T12:00:00Z", "modified_at": "2025-03-01T12:00:00Z"},
         "/notes.md": {"content": ["a", "b"], "created_at": "2025-03-01T12:00:00Z", "modified_at": "2025-03-01T12:00:00Z"}}"""));
  }

  @Test
  void unknownKeysAreKeptInExtra() {
    AgentState state =
        InputPayload.initialState(
            payload(
                """
        {"instructions": "Go", "user_id": "u-7", "options": {"depth": 2}}"""),
            NOW);

    assertThat(state.extra()).containsOnlyKeys("user_id", "options");
    assertThat(state.extra().get("options")).isEqualTo(Json.parse("{\"depth\": 2}"));
    assertThat(Json.tree(state).path("extra").path("user_id").asText()).isEqualTo("u-7");
  }

  @Test
  void toolCallsInInputMessagesAreReadInEitherShape() {
    AgentState state =
        InputPayload.initialState(
            payload(
                """
        {"messages": [
          {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "name": "ls", "args": {"path": "/"}}]},
          {"role": "tool", "content": "none", "tool_call_id": "c1", "name": "ls"},
          {"role": "assistant", "tool_calls": [{"function": {"name": "read_file"}, "arguments": "{\\"file_path\\": \\"/a\\"}"}]},
          {"role": "assistant", "tool_calls": [{"name": "glob", "args": {"pattern": "*"}}]}]}"""),
            NOW);

    List<Message> messages = state.messages();
    assertThat(messages.get(0).toolCalls())
        .containsExactly(new ToolCall("c1", "ls", (ObjectNode) Json.parse("{\"path\": \"/\"}")));
    assertThat(messages.get(1).toolCallId()).isEqualTo("c1");
    assertThat(messages.get(2).toolCalls().get(0).name()).isEqualTo("read_file");
    assertThat(messages.get(2).toolCalls().get(0).args())
        .isEqualTo(Json.parse("{\"file_path\": \"/a\"}"));
    assertThat(messages.get(2).toolCalls().get(0).id())
        .isNotEqualTo(messages.get(3).toolCalls().get(0).id());
  }

  @Test
  void aValidPayloadHasNoProblems() {
    assertThat(problems("{\"instructions\": \"Go\"}")).isEmpty();
    assertThat(problems("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")).isEmpty();
    assertThat(problems("{\"context\": {\"a\": 1}}")).isEmpty();
  }

  @Test
  void anEmptyPayloadGivesTheAgentNothingToDo() {
    assertThat(problems("{}"))
        .extracting(Problem::code, Problem::path)
        .containsExactly(tuple("INPUT_EMPTY", AT));
    assertThat(problems("{\"instructions\": \"  \", \"messages\": []}"))
        .extracting(Problem::code)
        .containsExactly("INPUT_EMPTY");
  }

  @Test
  void reportsAnInvalidOrMissingRole() {
    assertThat(
            problems(
                "{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}, {\"content\": \"y\"}]}"))
        .extracting(Problem::code, Problem::path)
        .containsExactly(
            tuple("INPUT_MESSAGE_ROLE", AT + ".messages[0].role"),
            tuple("INPUT_MESSAGE_ROLE", AT + ".messages[1].role"));
    assertThat(problems("{\"messages\": [{\"role\": \"robot\"}]}").get(0).message())
        .contains("unknown role 'robot'");
  }

  @Test
  void reportsWrongTypes() {
    assertThat(problems("{\"messages\": \"hi\"}"))
        .extracting(Problem::code)
        .containsExactly("INPUT_MESSAGES");
    assertThat(problems("{\"messages\": [\"hi\"]}"))
        .extracting(Problem::path)
        .containsExactly(AT + ".messages[0]");
    assertThat(problems("{\"messages\": [{\"role\": \"user\", \"content\": 3}]}"))
        .extracting(Problem::code, Problem::path)
        .containsExactly(tuple("INPUT_MESSAGE_CONTENT", AT + ".messages[0].content"));
    assertThat(problems("{\"instructions\": 5}"))
        .extracting(Problem::code, Problem::path)
        .containsExactly(tuple("INPUT_INSTRUCTIONS", AT + ".instructions"));
    assertThat(problems("{\"instructions\": \"x\", \"files\": [\"a\"]}"))
        .extracting(Problem::code)
        .containsExactly("INPUT_FILES");
    assertThat(problems("{\"instructions\": \"x\", \"files\": {\"/a\": 1}}"))
        .extracting(Problem::path)
        .containsExactly(AT + ".files./a");
  }

  @Test
  void refusesFilePathsThatLeaveTheRoot() {
    assertThat(problems("{\"instructions\": \"x\", \"files\": {\"../etc/passwd\": \"x\"}}"))
        .extracting(Problem::code, Problem::path)
        .containsExactly(tuple("INPUT_FILES", AT + ".files.../etc/passwd"));
  }
}
