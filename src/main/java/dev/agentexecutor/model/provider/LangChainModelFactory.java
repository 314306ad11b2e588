package dev.agentexecutor.model.provider;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.ModelException;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/**
 * Builds the LangChain4j streaming models from the settings. LangChain4j's streaming models do not
 * retry, so {@link RetryPolicy} is the only retry policy; request logging stays off because it
 * would print prompts (and headers) into our logs.
 */
final class LangChainModelFactory {
  /**
   * Anthropic requires max_tokens; LangChain4j's default of 1024 is too small for agents writing
   * files.
   */
  static final int DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

  private final Settings.ModelSettings settings;

  LangChainModelFactory(Settings.ModelSettings settings) {
    this.settings = settings;
  }

  /** The key under which a built model is reused: every setting that changes the model. */
  record ModelKey(
      ModelProvider provider,
      String model,
      Double temperature,
      Integer maxTokens,
      boolean strictJsonSchema) {
    String target() {
      return provider.wireName() + " (" + model + ")";
    }
  }

  LangChainModel create(ModelKey key) {
    StreamingChatModel model =
        switch (key.provider()) {
          case OPENAI -> openAi(key);
          case ANTHROPIC -> anthropic(key);
          case SCRIPTED ->
              throw new IllegalArgumentException("the scripted model is not LangChain4j's");
        };
    return new LangChainModel(model, key.target(), key.provider() == ModelProvider.ANTHROPIC);
  }

  /** Also serves OpenAI-compatible servers (vLLM, Ollama, LiteLLM...) through the base URL. */
  private StreamingChatModel openAi(ModelKey key) {
    return OpenAiStreamingChatModel.builder()
        .httpClientBuilder(new ModelHttpClient.Builder())
        .baseUrl(settings.openAiBaseUrl())
        .apiKey(requireKey(settings.openAiApiKey(), "OPENAI_API_KEY", key))
        .modelName(key.model())
        .temperature(key.temperature())
        .maxCompletionTokens(key.maxTokens())
        .strictJsonSchema(key.strictJsonSchema())
        .timeout(settings.timeout())
        .build();
  }

  /**
   * Caches the system prompt and the tools, which open every call of a run unchanged, and the
   * conversation up to its latest turns (breakpoints set per call by {@link LangChainModel}).
   */
  private StreamingChatModel anthropic(ModelKey key) {
    return AnthropicStreamingChatModel.builder()
        .httpClientBuilder(new ModelHttpClient.Builder())
        .baseUrl(settings.anthropicBaseUrl())
        .apiKey(requireKey(settings.anthropicApiKey(), "ANTHROPIC_API_KEY", key))
        .modelName(key.model())
        .temperature(key.temperature())
        .maxTokens(key.maxTokens() == null ? DEFAULT_ANTHROPIC_MAX_TOKENS : key.maxTokens())
        .cacheSystemMessages(true)
        .cacheTools(true)
        .timeout(settings.timeout())
        .build();
  }

  private static String requireKey(String key, String variable, ModelKey model) {
    if (key == null || key.isBlank()) {
      throw new ModelException(
          "cannot call " + model.target() + ": " + variable + " is not set", 0, null);
    }
    return key;
  }
}
