package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.util.JsonSchemas;
import java.util.List;

/**
 * Reads a node's context fields: {@code response_format} (a JSON Schema its answer must match),
 * {@code summarization} and its model's {@code context_window}, adding a problem for each mistake.
 */
final class ContextDefinitions {
  static final long MIN_CONTEXT_WINDOW = 1_000;
  static final long MAX_CONTEXT_WINDOW = 10_000_000;
  static final int MAX_KEEP_MESSAGES = 1_000;

  private ContextDefinitions() {}

  /** The schema, or null when absent or invalid (a problem is added). */
  static ObjectNode responseFormat(JsonNode schema, String path, List<Problem> problems) {
    if (schema == null || schema.isNull()) return null;
    if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
      problems.add(
          new Problem(
              ProblemCode.DEF_RESPONSE_FORMAT,
              path,
              "must be a JSON Schema whose type is \"object\" (what providers' structured output"
                  + " accepts)"));
      return null;
    }
    List<String> invalid = JsonSchemas.schemaProblems(schema);
    if (!invalid.isEmpty()) {
      problems.add(
          new Problem(
              ProblemCode.DEF_RESPONSE_FORMAT,
              path,
              "is not a valid JSON Schema (draft 2020-12): " + String.join("; ", invalid)));
      return null;
    }
    return (ObjectNode) schema;
  }

  static SummarizationConfig summarization(JsonNode config, String path, List<Problem> problems) {
    if (config == null || config.isNull()) return null;
    if (!config.isObject()) {
      problems.add(
          new Problem(
              ProblemCode.DEF_SUMMARIZATION, path, "must be an object {trigger?, keep_messages?}"));
      return null;
    }
    Long tokens = null;
    Double fraction = null;
    JsonNode trigger = config.get("trigger");
    if (trigger != null && !trigger.isNull()) {
      if (trigger.isNumber() && trigger.asDouble() > 0 && trigger.asDouble() <= 1) {
        fraction = trigger.asDouble();
      } else if (trigger.isIntegralNumber() && trigger.canConvertToLong() && trigger.asLong() > 1) {
        tokens = trigger.asLong();
      } else {
        problems.add(
            new Problem(
                ProblemCode.DEF_SUMMARIZATION,
                path + ".trigger",
                "must be a number of tokens (a whole number over 1) or a fraction of the context"
                    + " window (over 0, at most 1)"));
      }
    }
    Integer keep = null;
    JsonNode keepMessages = config.get("keep_messages");
    if (keepMessages != null && !keepMessages.isNull()) {
      if (keepMessages.isIntegralNumber()
          && keepMessages.asLong() >= 1
          && keepMessages.asLong() <= MAX_KEEP_MESSAGES) {
        keep = keepMessages.asInt();
      } else {
        problems.add(
            new Problem(
                ProblemCode.DEF_SUMMARIZATION,
                path + ".keep_messages",
                "must be a whole number from 1 to " + MAX_KEEP_MESSAGES));
      }
    }
    return new SummarizationConfig(tokens, fraction, keep);
  }

  static Integer contextWindow(JsonNode window, String path, List<Problem> problems) {
    if (window == null || window.isNull()) return null;
    if (window.isIntegralNumber()
        && window.asLong() >= MIN_CONTEXT_WINDOW
        && window.asLong() <= MAX_CONTEXT_WINDOW) {
      return window.asInt();
    }
    problems.add(
        new Problem(
            ProblemCode.DEF_MODEL_CONTEXT_WINDOW,
            path,
            "must be a whole number of tokens from "
                + MIN_CONTEXT_WINDOW
                + " to "
                + MAX_CONTEXT_WINDOW));
    return null;
  }
}
