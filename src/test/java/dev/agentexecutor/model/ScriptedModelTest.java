package dev.agentexecutor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptedModelTest {
  private static final JsonNode SCRIPT =
      Json.parse(
          """
          [{"tool_calls": [{"name": "write_todos", "args": {"todos": ["plan"]}},
                           {"name": "write_file", "args": {"path": "a.txt"}, "id": "mine"}],
            "usage": {"input_tokens": 100, "output_tokens": 20}},
           {"content": "All done here"}]
          """);
  private final ScriptedModel model = new ScriptedModel();

  private static ModelRequest request(JsonNode script, List<Message> messages) {
    return new ModelRequest(
        "orchestrator",
        new ModelConfig("scripted", "script", null, null, script),
        messages,
        List.of());
  }

  private static List<Message> afterAssistantTurns(int turns) {
    List<Message> messages = new ArrayList<>(List.of(Message.system("sys"), Message.user("go")));
    for (int i = 0; i < turns; i++) {
      messages.add(Message.assistant("turn " + i, List.of()));
      messages.add(Message.user("next"));
    }
    return messages;
  }

  @Test
  void picksTheResponseByTheNumberOfAssistantMessages() {
    ModelResponse first = model.chat(request(SCRIPT, afterAssistantTurns(0)), TokenListener.NONE);
    ModelResponse second = model.chat(request(SCRIPT, afterAssistantTurns(1)), TokenListener.NONE);
    ModelResponse firstAgain =
        model.chat(request(SCRIPT, afterAssistantTurns(0)), TokenListener.NONE);

    assertThat(first.message().toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("write_todos", "write_file");
    assertThat(second.message().content()).isEqualTo("All done here");
    assertThat(firstAgain).isEqualTo(first);
  }

  @Test
  void givesToolCallsDeterministicIdsUnlessScriptedAndFreshArguments() {
    ModelResponse response =
        model.chat(request(SCRIPT, afterAssistantTurns(0)), TokenListener.NONE);

    List<ToolCall> calls = response.message().toolCalls();
    assertThat(calls).extracting(ToolCall::id).containsExactly("call_0_0", "mine");
    assertThat(calls.get(1).args()).isEqualTo(Json.object().put("path", "a.txt"));
    calls.get(1).args().put("path", "changed");
    assertThat(
            model
                .chat(request(SCRIPT, afterAssistantTurns(0)), TokenListener.NONE)
                .message()
                .toolCalls()
                .get(1)
                .args()
                .path("path")
                .asText())
        .isEqualTo("a.txt");
  }

  @Test
  void streamsContentInWordSizedTokens() {
    List<String> tokens = new ArrayList<>();

    model.chat(request(SCRIPT, afterAssistantTurns(1)), tokens::add);

    assertThat(tokens).containsExactly("All", " done", " here");
    assertThat(String.join("", tokens)).isEqualTo("All done here");
  }

  @Test
  void usesScriptedUsageOrEstimatesFourCharactersPerToken() {
    assertThat(model.chat(request(SCRIPT, afterAssistantTurns(0)), TokenListener.NONE).usage())
        .isEqualTo(new Usage(100, 20));

    List<Message> conversation =
        afterAssistantTurns(1); // "sys" "go" "turn 0" "next" = 3+2+6+4 = 15 chars
    Usage estimated = model.chat(request(SCRIPT, conversation), TokenListener.NONE).usage();

    assertThat(estimated).isEqualTo(new Usage(4, 4)); // ceil(15/4), ceil("All done here" = 13 / 4)
  }

  @Test
  void failsClearlyWhenTheScriptIsExhausted() {
    assertThatThrownBy(
            () -> model.chat(request(SCRIPT, afterAssistantTurns(2)), TokenListener.NONE))
        .isInstanceOf(ModelException.class)
        .hasMessage("scripted model has no response #3 for node orchestrator (the script has 2)");
  }

  @Test
  void readsAScriptFileRelativeToTheWorkingDirectoryOnce(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(dir.resolve("scripts/hello.json"), "[{\"content\": \"from file\"}]");
    var fromDir = new ScriptedModel(dir);
    JsonNode fileScript = Json.parse("{\"file\": \"scripts/hello.json\"}");

    ModelResponse first =
        fromDir.chat(request(fileScript, afterAssistantTurns(0)), TokenListener.NONE);
    Files.writeString(dir.resolve("scripts/hello.json"), "[{\"content\": \"edited\"}]");
    ModelResponse again =
        fromDir.chat(
            request(Json.parse("{\"file\": \"scripts/hello.json\"}"), afterAssistantTurns(0)),
            TokenListener.NONE);

    assertThat(first.message().content()).isEqualTo("from file");
    assertThat(again.message().content()).isEqualTo("from file");
  }

  @Test
  void rejectsMalformedScriptsNamingTheResponse(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                model.chat(
                    request(
                        Json.parse("[{\"content\": \"ok\"}, {\"delay_ms\": 5}]"),
                        afterAssistantTurns(0)),
                    TokenListener.NONE))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("response #2")
        .hasMessageContaining("needs content or tool_calls");
    assertThatThrownBy(() -> model.chat(request(null, afterAssistantTurns(0)), TokenListener.NONE))
        .hasMessage("provider scripted needs a script for node orchestrator");
    assertThatThrownBy(
            () ->
                new ScriptedModel(dir)
                    .chat(
                        request(Json.parse("{\"file\": \"missing.json\"}"), afterAssistantTurns(0)),
                        TokenListener.NONE))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("cannot read scripted model file");
  }

  @Test
  void honoursDelay() {
    JsonNode slow = Json.parse("[{\"content\": \"late\", \"delay_ms\": 50}]");

    long started = System.nanoTime();
    model.chat(request(slow, afterAssistantTurns(0)), TokenListener.NONE);

    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(50);
  }
}
