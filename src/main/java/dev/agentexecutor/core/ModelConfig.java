package dev.agentexecutor.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which model a node talks to. {@code provider} is openai, anthropic or scripted; {@code script}
 * holds the scripted provider's responses (inline array, or {"file": path}) and is null otherwise;
 * {@code contextWindow} overrides the built-in size of the model's context, in tokens (null: the
 * table's).
 */
public record ModelConfig(
    String provider,
    String model,
    Double temperature,
    Integer maxTokens,
    JsonNode script,
    Integer contextWindow) {

  /** A model with the context window of the built-in table. */
  public ModelConfig(
      String provider, String model, Double temperature, Integer maxTokens, JsonNode script) {
    this(provider, model, temperature, maxTokens, script, null);
  }

  public ModelConfig withDefaults(String defaultProvider, String defaultModel) {
    return new ModelConfig(
        provider == null || provider.isBlank() ? defaultProvider : provider,
        model == null || model.isBlank() ? defaultModel : model,
        temperature,
        maxTokens,
        script,
        contextWindow);
  }
}
