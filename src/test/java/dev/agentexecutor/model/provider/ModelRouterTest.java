package dev.agentexecutor.model.provider;

import static dev.agentexecutor.model.provider.ModelTestFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Routing by provider, defaults and counting, independent of the wire. */
class ModelRouterTest {
  private final Metrics metrics = new Metrics();

  private static ModelRequest request(ModelConfig config) {
    return new ModelRequest("researcher", config, List.of(Message.user("hi")), List.of());
  }

  @Test
  void routesScriptedCaseInsensitivelyAndCountsTokens() {
    var router = new ModelRouter(settings("http://127.0.0.1:9/v1"), metrics);
    var config =
        new ModelConfig(
            "Scripted",
            null,
            null,
            null,
            Json.parse(
                "[{\"content\": \"hi\", \"usage\": {\"input_tokens\": 3, \"output_tokens\": 2}}]"));

    ModelResponse response = router.chat(request(config), TokenListener.NONE);

    assertThat(response.message().content()).isEqualTo("hi");
    assertThat(metrics.scrape())
        .contains("agent_executor_llm_tokens_total{direction=\"output\"} 2.0");
  }

  @Test
  void rejectsAnUnknownProviderNamingTheNode() {
    var router = new ModelRouter(settings("http://127.0.0.1:9/v1"), metrics);

    assertThatThrownBy(
            () ->
                router.chat(
                    request(new ModelConfig("gemini", "x", null, null, null)), TokenListener.NONE))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "unknown model provider 'gemini' for node researcher (expected openai, anthropic or"
                + " scripted)");
  }

  @Test
  void usesTheDefaultProviderAndModelWhenTheNodeNamesNone() {
    try (var llm = FakeLlmServer.start()) {
      llm.enqueue(FakeLlmReply.text("default route"));
      var router = new ModelRouter(settings(llm.baseUrl()), metrics);

      ModelResponse response = router.chat(request(null), TokenListener.NONE);

      assertThat(response.message().content()).isEqualTo("default route");
      assertThat(llm.lastRequest().model()).isEqualTo("gpt-4o-mini");
    }
  }

  @Test
  void passesTemperatureAndMaxTokensToTheProvider() {
    try (var llm = FakeLlmServer.start()) {
      llm.defaultReply(FakeLlmReply.text("ok"));
      var router = new ModelRouter(settings(llm.baseUrl()), metrics);

      router.chat(request(new ModelConfig("openai", "gpt-4o", 0.2, 256, null)), TokenListener.NONE);
      router.chat(
          request(new ModelConfig("openai", "gpt-4o", 0.9, null, null)), TokenListener.NONE);

      assertThat(llm.requests().get(0).body().path("temperature").asDouble()).isEqualTo(0.2);
      assertThat(llm.requests().get(0).body().path("max_completion_tokens").asInt()).isEqualTo(256);
      assertThat(llm.requests().get(1).body().path("temperature").asDouble()).isEqualTo(0.9);
    }
  }

  @Test
  void failsClearlyWhenTheProviderKeyIsMissing() {
    var noKeys =
        new Settings.ModelSettings(
            "openai",
            "gpt-4o-mini",
            "",
            "http://127.0.0.1:9/v1",
            "",
            "http://127.0.0.1:9/v1",
            Duration.ofSeconds(1),
            0,
            Duration.ZERO,
            Duration.ZERO);
    var router = new ModelRouter(noKeys, metrics);

    assertThatThrownBy(
            () ->
                router.chat(
                    request(new ModelConfig("anthropic", "claude", null, null, null)),
                    TokenListener.NONE))
        .isInstanceOf(ModelException.class)
        .hasMessage("cannot call anthropic (claude): ANTHROPIC_API_KEY is not set");
  }

  @Test
  void scriptsConcurrentCallsByMatchingTheirSystemPrompt() throws Exception {
    try (var llm = FakeLlmServer.start()) {
      llm.when(
          r -> r.systemPrompt().contains("researcher"),
          FakeLlmReply.text("facts").withDelay(Duration.ofMillis(50)));
      llm.when(r -> r.systemPrompt().contains("critic"), FakeLlmReply.text("critique"));
      var router = new ModelRouter(settings(llm.baseUrl()), metrics);
      var config = new ModelConfig("openai", "gpt-4o-mini", null, null, null);

      var researcher =
          CompletableFuture.supplyAsync(
              () ->
                  router.chat(
                      new ModelRequest(
                          "researcher",
                          config,
                          List.of(Message.system("You are a researcher"), Message.user("go")),
                          List.of()),
                      TokenListener.NONE));
      ModelResponse critic =
          router.chat(
              new ModelRequest(
                  "critic",
                  config,
                  List.of(Message.system("You are a critic"), Message.user("go")),
                  List.of()),
              TokenListener.NONE);

      assertThat(researcher.get().message().content()).isEqualTo("facts");
      assertThat(critic.message().content()).isEqualTo("critique");
      assertThat(llm.requestCount()).isEqualTo(2);
    }
  }
}
