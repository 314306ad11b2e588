package dev.agentexecutor.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which model a node talks to. {@code provider} is openai, anthropic or scripted; {@code script}
 * holds the scripted provider's responses (inline array, or {"file": path}) and is null otherwise.
 */
public record ModelConfig(
    String provider, String model, Double temperature, Integer maxTokens, JsonNode script) {

  public ModelConfig withDefaults(String defaultProvider, String defaultModel) {
    return new ModelConfig(
        provider == null || provider.isBlank() ? defaultProvider : provider,
        model == null || model.isBlank() ? defaultModel : model,
        temperature,
        maxTokens,
        script);
  }
}
