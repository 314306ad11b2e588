package dev.agentexecutor.model.provider;

import static dev.agentexecutor.model.provider.ModelTestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmRequest;
import dev.agentexecutor.testkit.FakeLlmServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real LangChain4j OpenAI client, through {@link ModelRouter}, against the fake server. */
class OpenAiWireTest {
  @RegisterExtension final FakeLlmServer llm = FakeLlmServer.start();
  private final Metrics metrics = new Metrics();
  private final ModelRouter router = new ModelRouter(settings(llm.baseUrl()), metrics);

  @Test
  void streamsTextTokensInOrderAndReturnsFullTextAndUsage() {
    llm.enqueue(FakeLlmReply.text("Autumn wind rises softly").withUsage(42, 7));
    List<String> tokens = new CopyOnWriteArrayList<>();

    ModelResponse response = router.chat(request("openai", "gpt-4o-mini", List.of()), tokens::add);

    assertThat(tokens).containsExactly("Autumn", " wind", " rises", " softly");
    assertThat(response.message().role()).isEqualTo(Role.ASSISTANT);
    assertThat(response.message().content()).isEqualTo("Autumn wind rises softly");
    assertThat(response.usage()).isEqualTo(new Usage(42, 7));
    assertThat(metrics.scrape())
        .contains("agent_executor_llm_tokens_total{direction=\"input\"} 42.0");
  }

  @Test
  void sendsSystemPromptToolsModelAndKeyOnTheWire() {
    llm.enqueue(FakeLlmReply.text("ok"));

    router.chat(request("openai", "gpt-4o-mini", List.of(writeFileTool())), TokenListener.NONE);

    FakeLlmRequest sent = llm.lastRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.isStreaming()).isTrue();
    assertThat(sent.model()).isEqualTo("gpt-4o-mini");
    assertThat(sent.systemPrompt()).isEqualTo("You are a careful planner.");
    assertThat(sent.toolNames()).containsExactly("write_file");
    assertThat(sent.body().at("/tools/0/function/parameters/required").toString())
        .isEqualTo("[\"path\",\"content\"]");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer " + OPENAI_KEY);
  }

  @Test
  void returnsToolCallsWithIdNameAndParsedArguments() {
    llm.enqueue(
        FakeLlmReply.toolCall(
            "call_abc", "write_file", "{\"path\":\"notes.txt\",\"content\":\"haiku\"}"));

    ModelResponse response =
        router.chat(request("openai", "gpt-4o-mini", List.of(writeFileTool())), TokenListener.NONE);

    assertThat(response.message().toolCalls()).hasSize(1);
    ToolCall call = response.message().toolCalls().get(0);
    assertThat(call.id()).isEqualTo("call_abc");
    assertThat(call.name()).isEqualTo("write_file");
    assertThat(call.args().path("path").asText()).isEqualTo("notes.txt");
    assertThat(call.args().path("content").asText()).isEqualTo("haiku");
  }

  @Test
  void waitsForRetryAfterOn429ThenSucceeds() {
    llm.enqueue(FakeLlmReply.error(429, null).withRetryAfter("1"), FakeLlmReply.text("finally"));

    long started = System.nanoTime();
    ModelResponse response =
        router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(response.message().content()).isEqualTo("finally");
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(retries(metrics)).isEqualTo(1.0);
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(950)); // Retry-After beats the 10 ms backoff
  }

  @Test
  void gives500UpAfterMaxRetriesWithAClearMessage() {
    llm.defaultReply(FakeLlmReply.error(500, "{\"error\":{\"message\":\"upstream exploded\"}}"));

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(MAX_RETRIES + 1);
    assertThat(retries(metrics)).isEqualTo(MAX_RETRIES);
    assertThat(failure.status()).isEqualTo(500);
    assertThat(failure.getMessage())
        .startsWith("model call failed after 4 attempts: HTTP 500 from openai (gpt-4o-mini): ")
        .contains("upstream exploded");
  }

  @Test
  void fails400AtOnceWithoutRetrying() {
    llm.defaultReply(FakeLlmReply.error(400, "{\"error\":{\"message\":\"bad tool schema\"}}"));

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(1);
    assertThat(retries(metrics)).isZero();
    assertThat(failure.status()).isEqualTo(400);
    assertThat(failure.getMessage())
        .isEqualTo(
            "model call failed after 1 attempt: HTTP 400 from openai (gpt-4o-mini):"
                + " {\"error\":{\"message\":\"bad tool schema\"}}");
  }

  @Test
  void neverPutsTheApiKeyInTheErrorEvenWhenTheServerEchoesIt() {
    llm.defaultReply(
        FakeLlmReply.error(
            401, "{\"error\":{\"message\":\"Incorrect API key provided: " + OPENAI_KEY + "\"}}"));

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));

    assertThat(failure.getMessage())
        .contains("HTTP 401")
        .contains("Incorrect API key provided: ***")
        .doesNotContain(OPENAI_KEY);
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      assertThat(cause.getMessage()).doesNotContain(OPENAI_KEY);
    }
  }

  @Test
  void retriesConnectionErrorsThenFailsWithStatusZero() {
    String closedPort = llm.baseUrl();
    llm.close();
    var unreachable = new ModelRouter(settings(closedPort), metrics);

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () ->
                unreachable.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));

    assertThat(failure.status()).isZero();
    assertThat(failure.getMessage())
        .startsWith(
            "model call failed after 4 attempts: connection error from openai (gpt-4o-mini)");
    assertThat(retries(metrics)).isEqualTo(MAX_RETRIES);
  }

  @Test
  void anErrorInsideASuccessfulStreamIsRetriedWhenItNamesAServerFault() {
    llm.enqueue(
        FakeLlmReply.streamError(
            "{\"message\":\"The server had an error\",\"type\":\"server_error\"}"),
        FakeLlmReply.text("recovered"));

    ModelResponse response =
        router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE);

    assertThat(response.message().content()).isEqualTo("recovered");
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(retries(metrics)).isEqualTo(1.0);
  }

  @Test
  void aRateLimitErrorInsideTheStreamFailsAfterTheRetriesNamingIt() {
    llm.defaultReply(
        FakeLlmReply.streamError(
            "{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}"));

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(MAX_RETRIES + 1);
    assertThat(failure.getMessage())
        .isEqualTo(
            "model call failed after 4 attempts: error in the stream from openai (gpt-4o-mini):"
                + " requests (code rate_limit_exceeded): Rate limit reached for requests");
  }

  @Test
  void aPermanentErrorInsideTheStreamFailsAtOnceNamingIt() {
    llm.defaultReply(
        FakeLlmReply.streamError(
            "{\"message\":\"maximum context length is 8192 tokens\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}"));

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));

    assertThat(llm.requestCount()).isEqualTo(1);
    assertThat(failure.getMessage())
        .isEqualTo(
            "model call failed after 1 attempt: error in the stream from openai (gpt-4o-mini):"
                + " invalid_request_error (code context_length_exceeded): maximum context length is 8192 tokens");
  }

  @Test
  void anEmptyAnswerIsRetriedAndNeverReturnedAsASuccess() {
    llm.enqueue(FakeLlmReply.text(""), FakeLlmReply.text("something"));

    ModelResponse response =
        router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE);

    assertThat(response.message().content()).isEqualTo("something");
    assertThat(llm.requestCount()).isEqualTo(2);

    llm.defaultReply(FakeLlmReply.text(""));
    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> router.chat(request("openai", "gpt-4o-mini", List.of()), TokenListener.NONE));
    assertThat(failure.getMessage())
        .isEqualTo(
            "model call failed after 4 attempts: empty answer from openai (gpt-4o-mini):"
                + " the model answered with neither text nor tool calls");
  }
}
