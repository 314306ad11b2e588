package dev.agentexecutor.model.provider;

import dev.agentexecutor.model.ModelException;
import java.util.Locale;

/** The providers a node can name in its model config. */
enum ModelProvider {
  OPENAI,
  ANTHROPIC,
  SCRIPTED;

  static ModelProvider parse(String name, String node) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ModelException(
          "unknown model provider '%s' for node %s (expected openai, anthropic or scripted)"
              .formatted(name, node),
          0,
          null);
    }
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
