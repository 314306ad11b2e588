package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code decisions} array of a resume in the wire's shapes, collecting a {@code
 * DECISIONS_INVALID} problem at the JSON path of each fault. Whether the decisions fit the job's
 * interrupts (count, allowed types, edit args) is checked later, against its record.
 */
final class DecisionsReader {
  /** More decisions than this cannot match: a reply has at most MAX_TOOL_CALLS_PER_REPLY calls. */
  static final int MAX_DECISIONS = 1_000;

  /** Longest reason a rejection may give the model. */
  static final int MAX_MESSAGE_CHARS = 10_000;

  private DecisionsReader() {}

  static List<Decision> read(JsonNode decisions, String path, List<Problem> problems) {
    if (decisions == null || decisions.isNull()) {
      problems.add(problem(path, "is required: one decision per pending interrupt, in order"));
      return List.of();
    }
    if (!decisions.isArray()) {
      problems.add(problem(path, "must be an array, not " + DefinitionParser.kind(decisions)));
      return List.of();
    }
    if (decisions.size() > MAX_DECISIONS) {
      problems.add(problem(path, "has more than " + MAX_DECISIONS + " decisions"));
      return List.of();
    }
    List<Decision> read = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      Decision decision = decision(decisions.get(i), path + "[" + i + "]", problems);
      if (decision != null) read.add(decision);
    }
    return read;
  }

  private static Decision decision(JsonNode node, String path, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(problem(path, "must be an object {type, ...}"));
      return null;
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual() || !Decision.TYPES.contains(type.asText())) {
      problems.add(problem(path + ".type", "must be one of " + String.join(", ", Decision.TYPES)));
      return null;
    }
    return switch (type.asText()) {
      case Decision.EDIT -> edit(node.get("args"), path + ".args", problems);
      case Decision.REJECT -> reject(node.get("message"), path + ".message", problems);
      default -> new Decision.Approve();
    };
  }

  private static Decision edit(JsonNode args, String path, List<Problem> problems) {
    if (args == null || !args.isObject()) {
      problems.add(problem(path, "an edit must give the call's new arguments as an object"));
      return null;
    }
    return new Decision.Edit((ObjectNode) args);
  }

  private static Decision reject(JsonNode message, String path, List<Problem> problems) {
    if (message == null || message.isNull()) return new Decision.Reject(null);
    if (!message.isTextual()) {
      problems.add(problem(path, "must be a string"));
      return null;
    }
    if (message.asText().length() > MAX_MESSAGE_CHARS) {
      problems.add(problem(path, "must be at most " + MAX_MESSAGE_CHARS + " characters"));
      return null;
    }
    return new Decision.Reject(message.asText());
  }

  private static Problem problem(String path, String message) {
    return new Problem(ProblemCode.DECISIONS_INVALID, path, message);
  }
}
