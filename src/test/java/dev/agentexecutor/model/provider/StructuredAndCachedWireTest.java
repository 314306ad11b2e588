package dev.agentexecutor.model.provider;

import static dev.agentexecutor.model.provider.ModelTestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmRequest;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Structured output in each provider's native mode, Anthropic's cache breakpoints on the latest
 * turns, and cached input tokens read back from both, with the real LangChain4j clients against the
 * fake servers.
 */
class StructuredAndCachedWireTest {
  private static final String CLAUDE = "claude-sonnet-4-5";
  @RegisterExtension final FakeLlmServer llm = FakeLlmServer.start();
  private final Metrics metrics = new Metrics();
  private final ModelRouter router = new ModelRouter(settings(llm.baseUrl()), metrics);

  /** Strict-compatible: closed objects, every property required. */
  private static final ObjectNode STRICT_SCHEMA =
      (ObjectNode)
          Json.parse(
              """
              {"type": "object", "additionalProperties": false, "required": ["title", "score"],
               "properties": {"title": {"type": "string"}, "score": {"type": "integer"}}}""");

  /** Not strict-compatible: an optional property. */
  private static final ObjectNode LOOSE_SCHEMA =
      (ObjectNode)
          Json.parse(
              """
              {"type": "object", "required": ["title"],
               "properties": {"title": {"type": "string"}, "note": {"type": "string"}}}""");

  private static ModelRequest structured(String provider, String model, ObjectNode schema) {
    ModelRequest base = request(provider, model, List.of());
    return new ModelRequest(base.node(), base.config(), base.messages(), base.tools(), schema);
  }

  @Test
  void openAiGetsAStrictJsonSchemaResponseFormat() {
    llm.enqueue(FakeLlmReply.text("{\"title\": \"t\", \"score\": 3}"));

    ModelResponse response =
        router.chat(structured("openai", "gpt-4o-mini", STRICT_SCHEMA), TokenListener.NONE);

    JsonNode format = llm.lastRequest().body().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("structured_response");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(format.path("json_schema").path("schema").path("properties").has("score")).isTrue();
    assertThat(response.message().content()).isEqualTo("{\"title\": \"t\", \"score\": 3}");
  }

  @Test
  void openAiGetsANonStrictFormatForASchemaStrictModeWouldRefuse() {
    llm.enqueue(FakeLlmReply.text("{\"title\": \"t\"}"));

    router.chat(structured("openai", "gpt-4o-mini", LOOSE_SCHEMA), TokenListener.NONE);

    JsonNode format = llm.lastRequest().body().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("strict").asBoolean(false)).isFalse();
  }

  @Test
  void aFreeTextCallSendsNoResponseFormat() {
    llm.enqueue(FakeLlmReply.text("plain"));

    router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE);

    assertThat(llm.lastRequest().body().has("response_format")).isFalse();
  }

  @Test
  void anthropicGetsItsNativeOutputFormat() {
    llm.enqueue(FakeLlmReply.text("{\"title\": \"t\", \"score\": 3}"));

    router.chat(structured("anthropic", CLAUDE, STRICT_SCHEMA), TokenListener.NONE);

    JsonNode format = llm.lastRequest().body().path("output_config").path("format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("schema").path("required").toString()).contains("title", "score");
  }

  @Test
  void anthropicCachesTheConversationUpToItsLatestTurns() {
    llm.enqueue(FakeLlmReply.text("ok"));
    ToolCall call = new ToolCall("toolu_1", "ls", Json.object());
    List<Message> conversation =
        List.of(
            Message.system("You are a careful planner."),
            Message.user("first question"),
            Message.assistant("first answer", List.of()),
            Message.user("second question"),
            Message.assistant("", List.of(call)),
            Message.tool("toolu_1", "ls", "a.txt"));

    router.chat(
        new ModelRequest(
            "lead",
            new ModelConfig("anthropic", CLAUDE, null, null, null),
            conversation,
            List.of()),
        TokenListener.NONE);

    FakeLlmRequest sent = llm.lastRequest();
    JsonNode messages = sent.body().path("messages");
    // user, assistant, user (second question), assistant (tool_use), user (tool_result)
    assertThat(messages).hasSize(5);
    assertThat(lastBlock(messages.get(4)).path("cache_control").path("type").asText())
        .as("the latest turn")
        .isEqualTo("ephemeral");
    assertThat(lastBlock(messages.get(2)).path("cache_control").path("type").asText())
        .as("where the previous call's prefix ended")
        .isEqualTo("ephemeral");
    assertThat(lastBlock(messages.get(0)).has("cache_control")).isFalse();
    assertThat(lastBlock(messages.get(1)).has("cache_control")).isFalse();
    assertThat(lastBlock(messages.get(3)).has("cache_control")).isFalse();
    int breakpoints = sent.body().toString().split("\"cache_control\"", -1).length - 1;
    assertThat(breakpoints).as("system, and two turns: Anthropic allows four").isEqualTo(3);
  }

  private static JsonNode lastBlock(JsonNode message) {
    JsonNode content = message.path("content");
    return content.isArray() ? content.get(content.size() - 1) : content;
  }

  @Test
  void anthropicCacheReadsAndWritesAreCountedAsInputAndReported() {
    llm.enqueue(FakeLlmReply.text("ok").withUsage(10, 5).withCache(800, 200));

    ModelResponse response =
        router.chat(request("anthropic", CLAUDE, List.of()), TokenListener.NONE);

    assertThat(response.usage()).isEqualTo(new Usage(1010, 5, 800, 200));
    assertThat(metrics.scrape())
        .contains("agent_executor_llm_tokens_total{direction=\"cache_read\"} 800.0")
        .contains("agent_executor_llm_tokens_total{direction=\"cache_write\"} 200.0")
        .contains("agent_executor_llm_tokens_total{direction=\"input\"} 1010.0");
  }

  @Test
  void openAiCachedTokensAreRead() {
    llm.enqueue(FakeLlmReply.text("ok").withUsage(1200, 5).withCache(1024, 0));

    ModelResponse response =
        router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE);

    assertThat(response.usage()).isEqualTo(new Usage(1200, 5, 1024, 0));
  }
}
