package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.StateLimits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Holds a job's input to the same limits as the state it starts: the seeded files (MAX_FILE_CHARS,
 * MAX_FILES, MAX_FILES_TOTAL_CHARS, path length) and every message (MAX_MESSAGE_CHARS). Part of the
 * job parser's validation, with the limits the settings give it.
 */
final class InputLimits {
  private static final String FILES = "$.input_payload.files";

  private InputLimits() {}

  /** The problems of a valid input payload and the state built from it; empty within limits. */
  static List<Problem> problems(ObjectNode input, AgentState initial, StateLimits limits) {
    List<Problem> problems = new ArrayList<>();
    JsonNode files = input.get("files");
    if (files != null && files.isObject()) fileProblems((ObjectNode) files, limits, problems);
    messageProblems(input, initial, limits, problems);
    return problems;
  }

  private static void fileProblems(ObjectNode files, StateLimits limits, List<Problem> problems) {
    if (files.size() > limits.maxFiles()) {
      problems.add(
          new Problem(
              ProblemCode.INPUT_FILES_TOO_MANY,
              FILES,
              "has "
                  + files.size()
                  + " files; the limit is "
                  + limits.maxFiles()
                  + " (MAX_FILES)"));
    }
    long total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      String path = file.getKey();
      long chars = file.getValue().asText("").length();
      total += path.length() + chars;
      String at = FILES + "." + (path.length() <= 200 ? path : path.substring(0, 200) + "...");
      if (path.length() > StateLimits.MAX_PATH_CHARS) {
        problems.add(
            new Problem(
                ProblemCode.INPUT_FILES,
                at,
                "the path is longer than " + StateLimits.MAX_PATH_CHARS + " characters"));
      } else if (path.chars().anyMatch(Character::isISOControl)) {
        problems.add(
            new Problem(
                ProblemCode.INPUT_FILES, at, "the path must not contain control characters"));
      }
      if (chars > limits.maxFileChars()) {
        problems.add(
            new Problem(
                ProblemCode.INPUT_FILE_TOO_LARGE,
                at,
                "has "
                    + chars
                    + " characters; the limit is "
                    + limits.maxFileChars()
                    + " per file (MAX_FILE_CHARS)"));
      }
    }
    if (total > limits.maxFilesTotalChars()) {
      problems.add(
          new Problem(
              ProblemCode.INPUT_FILES_TOO_LARGE,
              FILES,
              "hold "
                  + total
                  + " characters with their paths; the limit is "
                  + limits.maxFilesTotalChars()
                  + " (MAX_FILES_TOTAL_CHARS)"));
    }
  }

  /**
   * The messages as the run will hold them: the given ones in order, then instructions and context
   * as one.
   */
  private static void messageProblems(
      ObjectNode input, AgentState initial, StateLimits limits, List<Problem> problems) {
    JsonNode given = input.get("messages");
    int givenCount = given != null && given.isArray() ? given.size() : 0;
    List<Message> messages = initial.messages();
    for (int i = 0; i < messages.size(); i++) {
      long chars = messages.get(i).chars();
      if (chars <= limits.maxMessageChars()) continue;
      String at =
          i < givenCount ? "$.input_payload.messages[" + i + "]" : "$.input_payload.instructions";
      problems.add(
          new Problem(
              ProblemCode.INPUT_MESSAGE_TOO_LARGE,
              at,
              "has "
                  + chars
                  + " characters; the limit is "
                  + limits.maxMessageChars()
                  + " per message (MAX_MESSAGE_CHARS)"));
    }
  }
}
