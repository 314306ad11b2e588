package dev.agentexecutor.core.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who said a message. Serialised in lower case; LangChain's human/ai names are accepted on input.
 */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Role parse(String value) {
    if (value == null) throw new IllegalArgumentException("role is missing");
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "system" -> SYSTEM;
      case "user", "human" -> USER;
      case "assistant", "ai" -> ASSISTANT;
      case "tool" -> TOOL;
      default ->
          throw new IllegalArgumentException(
              "unknown role '" + value + "' (expected system, user, assistant or tool)");
    };
  }
}
