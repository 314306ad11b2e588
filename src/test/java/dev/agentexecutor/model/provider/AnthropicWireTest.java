package dev.agentexecutor.model.provider;

import static dev.agentexecutor.model.provider.ModelTestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmRequest;
import dev.agentexecutor.testkit.FakeLlmServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real LangChain4j Anthropic client, through {@link ModelRouter}, against the fake server. */
class AnthropicWireTest {
  private static final String MODEL = "claude-sonnet-4-5";
  @RegisterExtension final FakeLlmServer llm = FakeLlmServer.start();
  private final Metrics metrics = new Metrics();
  private final ModelRouter router = new ModelRouter(settings(llm.baseUrl()), metrics);

  @Test
  void streamsTextAndToolUseAndReturnsBothWithUsage() {
    llm.enqueue(
        FakeLlmReply.toolCall(
                "toolu_01", "write_file", "{\"path\":\"notes.txt\",\"content\":\"haiku\"}")
            .withText("Writing it now")
            .withUsage(120, 30));
    List<String> tokens = new CopyOnWriteArrayList<>();

    ModelResponse response =
        router.chat(request("anthropic", MODEL, List.of(writeFileTool())), tokens::add);

    assertThat(tokens).containsExactly("Writing", " it", " now");
    assertThat(response.message().content()).isEqualTo("Writing it now");
    ToolCall call = response.message().toolCalls().get(0);
    assertThat(call.id()).isEqualTo("toolu_01");
    assertThat(call.name()).isEqualTo("write_file");
    assertThat(call.args().path("path").asText()).isEqualTo("notes.txt");
    assertThat(response.usage()).isEqualTo(new Usage(120, 30));
  }

  @Test
  void marksTheSystemPromptAndToolsForPromptCaching() {
    llm.enqueue(FakeLlmReply.text("ok"));

    router.chat(request("anthropic", MODEL, List.of(writeFileTool())), TokenListener.NONE);

    FakeLlmRequest sent = llm.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.header("x-api-key")).isEqualTo(ANTHROPIC_KEY);
    assertThat(sent.systemPrompt()).isEqualTo("You are a careful planner.");
    JsonNode system = sent.body().path("system");
    assertThat(system.path(system.size() - 1).path("cache_control").path("type").asText())
        .isEqualTo("ephemeral");
    JsonNode tools = sent.body().path("tools");
    assertThat(sent.toolNames()).containsExactly("write_file");
    assertThat(tools.path(tools.size() - 1).path("cache_control").path("type").asText())
        .isEqualTo("ephemeral");
    assertThat(sent.body().path("max_tokens").asInt())
        .isEqualTo(LangChainModelFactory.DEFAULT_ANTHROPIC_MAX_TOKENS);
  }

  @Test
  void retriesAnOverloaded529Once() {
    llm.enqueue(FakeLlmReply.error(529, null), FakeLlmReply.text("back"));

    ModelResponse response =
        router.chat(request("anthropic", MODEL, List.of()), TokenListener.NONE);

    assertThat(response.message().content()).isEqualTo("back");
    assertThat(retries(metrics)).isEqualTo(1.0);
  }

  @Test
  void anOverloadedErrorEventInsideTheStreamIsRetried() {
    llm.enqueue(
        FakeLlmReply.streamError("{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}"),
        FakeLlmReply.text("back"));

    ModelResponse response =
        router.chat(request("anthropic", MODEL, List.of()), TokenListener.NONE);

    assertThat(response.message().content()).isEqualTo("back");
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(retries(metrics)).isEqualTo(1.0);
  }

  @Test
  void aPersistentOverloadFailsAfterTheRetriesNamingTheErrorType() {
    llm.defaultReply(
        FakeLlmReply.streamError("{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}"));

    ModelException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("anthropic", MODEL, List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(MAX_RETRIES + 1);
    assertThat(failure.getMessage())
        .isEqualTo(
            "model call failed after 4 attempts: error in the stream from anthropic ("
                + MODEL
                + "): overloaded_error: Overloaded");
  }

  @Test
  void anInvalidRequestErrorEventFailsAtOnce() {
    llm.defaultReply(
        FakeLlmReply.streamError(
            "{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long\"}"));

    ModelException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("anthropic", MODEL, List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(1);
    assertThat(failure.getMessage())
        .endsWith(
            "error in the stream from anthropic ("
                + MODEL
                + "): invalid_request_error: prompt is too long");
  }

  @Test
  void aStreamCutBeforeMessageStopIsRetriedPromptlyInsteadOfWaitingForTheTimeout() {
    llm.enqueue(
        FakeLlmReply.text("half an answer").withStreamCutAfter(3),
        FakeLlmReply.text("whole answer"));
    long started = System.nanoTime();

    ModelResponse response =
        router.chat(request("anthropic", MODEL, List.of()), TokenListener.NONE);

    assertThat(response.message().content()).isEqualTo("whole answer");
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(java.time.Duration.ofSeconds(2));
  }

  @Test
  void anEmptyAnswerIsNotASuccess() {
    llm.defaultReply(FakeLlmReply.text(""));

    ModelException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("anthropic", MODEL, List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(MAX_RETRIES + 1);
    assertThat(failure.getMessage()).contains("empty answer from anthropic");
  }
}
