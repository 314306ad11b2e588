package dev.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;
import dev.agentexecutor.util.JsonSchemas;
import java.util.List;

/**
 * A node's final answer held to its {@code response_format}: parsed as JSON (a surrounding Markdown
 * code fence is tolerated) and validated against the schema; the violations are what the model is
 * told when it must answer again.
 */
final class StructuredAnswers {
  private StructuredAnswers() {}

  /** The answer as JSON, or null when it is not JSON. */
  static JsonNode parse(String answer) {
    String text = answer.strip();
    if (text.startsWith("```")) {
      int firstLineEnd = text.indexOf('\n');
      if (firstLineEnd > 0 && text.endsWith("```"))
        text = text.substring(firstLineEnd + 1, text.length() - 3).strip();
    }
    try {
      return Json.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Why the answer does not match, empty when it does. */
  static List<String> violations(JsonSchemas.Validator schema, String answer) {
    JsonNode json = parse(answer);
    if (json == null) return List.of("the answer is not JSON: reply with the JSON object only");
    return schema.violations(json);
  }

  /** What the model is told after an answer that does not match. */
  static String correction(List<String> violations) {
    return "Your final answer does not match the required JSON Schema:\n- "
        + String.join("\n- ", violations)
        + "\nReply again with only a JSON object that matches the schema.";
  }

  /** The part of the system prompt that asks for the format. */
  static String instructions(JsonNode schema) {
    return "## Final answer format\nWhen you are done, your final answer (the reply without tool"
        + " calls) must be only a JSON object matching this JSON Schema, with no other text:\n"
        + Json.write(schema);
  }
}
