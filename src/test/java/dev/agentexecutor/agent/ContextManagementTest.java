package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.definition.SummarizationConfig;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.mcp.McpConnector;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Long conversations: each node's summarisation trigger and context window, what the estimate
 * counts, the summarised history kept in the job's files, and large tool results moved to files.
 */
class ContextManagementTest {
  private static final String LONG = "x".repeat(1200);
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();
  private int runs;

  /** Summary requests get a fixed summary; every other call a final answer. */
  private final RecordingModel model =
      new RecordingModel(
          (request, tokens) ->
              request.node().endsWith(":summary")
                  ? new ModelResponse(Message.assistant("SUMMARY", List.of()), new Usage(100, 10))
                  : new ModelResponse(Message.assistant("Answer.", List.of()), new Usage(1, 1)));

  private static List<Message> conversation() {
    return List.of(
        Message.user("u0 " + LONG),
        Message.assistant("a1 " + LONG, List.of()),
        Message.user("u2 " + LONG),
        Message.assistant("a3 " + LONG, List.of()),
        Message.user("u4 latest question"));
  }

  private static String definition(String summarization, String model) {
    return """
        {"nodes": [{"id": "lead", "type": "orchestrator", "config": {
           "name": "lead", "system_prompt": "You lead.", %s
           "model": %s}}]}
        """
        .formatted(
            summarization.isEmpty() ? "" : "\"summarization\": " + summarization + ",", model);
  }

  private static final String SCRIPTED =
      "{\"provider\": \"scripted\", \"model\": \"m\", \"script\": [{\"content\": \"Answer.\"}]}";

  private AgentState run(String definition, List<Message> messages) {
    DeepAgent agent = AgentTestKit.agent(definition, model, checkpoints);
    return agent.run(
        "ctx-" + runs++,
        AgentState.initial(messages, Map.of(), Map.of()),
        control(),
        RunListener.NONE);
  }

  private List<String> nodesCalled() {
    return model.requests.stream().map(ModelRequest::node).toList();
  }

  @Test
  void aNodesOwnTokenTriggerReplacesTheServiceThreshold() {
    AgentState end =
        run(definition("{\"trigger\": 2000, \"keep_messages\": 2}", SCRIPTED), conversation());

    assertThat(nodesCalled()).containsExactly("lead:summary", "lead");
    assertThat(end.messages().get(0).content()).endsWith("SUMMARY");
    assertThat(end.messages()).hasSize(4); // summary, a3, u4, the answer
  }

  @Test
  void withoutItsOwnTriggerTheNodeKeepsTheServiceThreshold() {
    run(definition("", SCRIPTED), conversation());

    assertThat(nodesCalled()).containsExactly("lead");
  }

  @Test
  void aFractionTriggerIsTakenOfTheModelsContextWindow() {
    String small =
        "{\"provider\": \"scripted\", \"model\": \"m\", \"context_window\": 4000, \"script\": [{\"content\": \"Answer.\"}]}";
    String large = small.replace("4000", "1000000");

    run(definition("{\"trigger\": 0.5, \"keep_messages\": 2}", small), conversation());
    assertThat(nodesCalled()).containsExactly("lead:summary", "lead");

    model.requests.clear();
    run(definition("{\"trigger\": 0.5, \"keep_messages\": 2}", large), conversation());
    assertThat(nodesCalled()).containsExactly("lead");
  }

  @Test
  void theDefaultTriggerStaysBelowAKnownContextWindow() {
    Settings.Limits limits = AgentTestKit.limits(); // SUMMARIZATION_TOKEN_THRESHOLD 170,000

    assertThat(forNode(null, "gpt-4").tokenThreshold()).isEqualTo((long) (8_192 * 0.85));
    assertThat(forNode(null, "gpt-4o-mini").tokenThreshold()).isEqualTo((long) (128_000 * 0.85));
    assertThat(forNode(null, "claude-sonnet-4-5").tokenThreshold()).isEqualTo(170_000);
    assertThat(forNode(null, "unknown-model").tokenThreshold()).isEqualTo(170_000);
    assertThat(
            Summarizer.forNode(
                    null, new ModelConfig("openai", "gpt-4o", null, null, null, 20_000), limits)
                .tokenThreshold())
        .as("model.context_window overrides the table")
        .isEqualTo(17_000);
    assertThat(forNode(new SummarizationConfig(null, 0.5, 3), "gpt-4o").tokenThreshold())
        .isEqualTo(64_000);
  }

  private static Summarizer forNode(SummarizationConfig config, String modelName) {
    return Summarizer.forNode(
        config, new ModelConfig("openai", modelName, null, null, null), AgentTestKit.limits());
  }

  @Test
  void theEstimateCountsTheSystemPromptAndTheToolSchemas() {
    AgentNode node =
        AgentNode.of(
            "lead",
            "You lead.",
            new ModelConfig("scripted", "m", null, null, null),
            dev.agentexecutor.agent.tools.FileTools.all());
    long schemaChars =
        node.toolSpecs().stream()
            .mapToLong(s -> Json.write(s.parameters()).length() + s.description().length())
            .sum();
    AgentState short_ =
        AgentState.initial(
            List.of(Message.user("a"), Message.assistant("b", List.of()), Message.user("c")),
            Map.of(),
            Map.of());
    Summarizer summarizer = new Summarizer(schemaChars / 4 - 10, 1);

    assertThat(node.fixedChars()).isGreaterThan(schemaChars);
    assertThat(summarizer.needed(node.fixedChars(), short_, new Summarizer.Sizes())).isTrue();
    assertThat(summarizer.needed(0, short_, new Summarizer.Sizes())).isFalse();
  }

  @Test
  void theSummarisedMessagesAreSavedToConversationHistory() {
    AgentState end =
        run(definition("{\"trigger\": 2000, \"keep_messages\": 2}", SCRIPTED), conversation());

    FileData history = end.files().get("/conversation_history/1.md");
    assertThat(history).isNotNull();
    assertThat(history.text())
        .startsWith("# Conversation of lead, summarised")
        .contains("## user\n\nu0 ")
        .contains("## assistant\n\na1 ")
        .contains("u2 ")
        .doesNotContain("u4 latest question");
    assertThat(JobFiles.nextNumbered(end.files(), "/conversation_history"))
        .isEqualTo("/conversation_history/2.md");
    assertThat(ConversationHistory.folder("task:call_7"))
        .isEqualTo("/conversation_history/task_call_7");
    assertThat(ConversationHistory.folder("task:a/task:b"))
        .isEqualTo("/conversation_history/task_b");
  }

  @Test
  void aLargeToolResultGoesToAFileAndTheModelGetsAPointerWithTheFirstLines() {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 60; i++) big.append("line ").append(i).append(" of the big file\n");
    Settings.AgentSettings settings =
        new Settings.AgentSettings(2, 500, Duration.ofSeconds(5), List.of(), Map.of());
    AgentRuntime runtime =
        new AgentRuntime(
            new RecordingModel(AgentTestKit.router()),
            checkpoints,
            HttpToolClient.create(HttpToolPolicy.DEFAULT, Duration.ofSeconds(5)),
            Tracing.disabled(),
            AgentTestKit.MODELS,
            AgentTestKit.limits(),
            settings,
            new McpConnector(HttpToolPolicy.DEFAULT, settings));
    String script =
        """
        [{"tool_calls": [{"name": "read_file", "id": "call/big", "args": {"file_path": "/big.txt"}},
                         {"name": "ls", "id": "call_small", "args": {"path": "/"}}]},
         {"content": "Read it."}]""";
    DeepAgent agent =
        DeepAgent.build(
            DefinitionParser.parse(Json.parse(AgentTestKit.orchestrator(script))), runtime);

    AgentState end =
        agent.run(
            "big",
            AgentState.initial(
                List.of(Message.user("read /big.txt")),
                Map.of("/big.txt", FileData.of(big.toString(), Instant.now())),
                Map.of()),
            control(),
            RunListener.NONE);

    Message pointer =
        end.messages().stream()
            .filter(m -> "call/big".equals(m.toolCallId()))
            .findFirst()
            .orElseThrow();
    assertThat(pointer.content())
        .startsWith("The result was too long to show here")
        .contains("/large_tool_results/call_big")
        .contains("line 0 of the big file")
        .doesNotContain("line 30 of the big file");
    assertThat(end.files().get("/large_tool_results/call_big").text())
        .contains("line 59 of the big file");
    Message small =
        end.messages().stream()
            .filter(m -> "call_small".equals(m.toolCallId()))
            .findFirst()
            .orElseThrow();
    assertThat(small.content()).doesNotContain("too long");
  }
}
