package dev.agentexecutor.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.problem.ProblemCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a scripted model's script (format in docs/scripted-provider.md): inline when a job is
 * submitted, so that a malformed one is a 400 rather than a failure at run time, and a script file
 * when it is read. Each problem names the response it is in and the JSON path below the script.
 */
public final class ScriptValidator {
  /** The most responses one script may hold. */
  public static final int MAX_RESPONSES = 10_000;

  /** The longest {@code delay_ms} of one response: one minute. */
  public static final long MAX_DELAY_MS = 60_000;

  /** The longest script file path, in characters. */
  public static final int MAX_FILE_PATH_CHARS = 1024;

  /**
   * One problem: a DEF_* code, the path below the script ("[2].tool_calls[0].name"), the response
   * (from 0, or -1).
   */
  public record ScriptProblem(
      ProblemCode code, String relativePath, int response, String message) {}

  private final List<ScriptProblem> problems = new ArrayList<>();

  private ScriptValidator() {}

  /** Every problem of an inline script (a JSON array of responses); empty when it is valid. */
  public static List<ScriptProblem> responses(JsonNode script) {
    ScriptValidator validator = new ScriptValidator();
    validator.checkResponses(script);
    return List.copyOf(validator.problems);
  }

  /**
   * The problem with a script file reference {"file": path}, or null: a relative path, with no
   * "..".
   */
  public static String filePathProblem(JsonNode file) {
    if (file == null || !file.isTextual() || file.asText().isBlank())
      return "file must be a non-blank path";
    String path = file.asText();
    if (path.length() > MAX_FILE_PATH_CHARS)
      return "file must be at most " + MAX_FILE_PATH_CHARS + " characters";
    if (path.chars().anyMatch(Character::isISOControl))
      return "file must not contain control characters";
    String normal = path.replace('\\', '/');
    if (normal.startsWith("/") || normal.startsWith("~") || normal.matches("(?i)[a-z]:.*")) {
      return "file must be a path relative to the script directory, not an absolute one";
    }
    for (String segment : normal.split("/")) {
      if (segment.equals("..")) return "file must not contain '..' segments";
    }
    return null;
  }

  private void checkResponses(JsonNode script) {
    if (script.size() > MAX_RESPONSES) {
      problems.add(
          new ScriptProblem(
              ProblemCode.DEF_SCRIPT_TOO_LONG,
              "",
              -1,
              "has " + script.size() + " responses; the limit is " + MAX_RESPONSES));
      return;
    }
    for (int i = 0; i < script.size(); i++) response(script.get(i), i);
  }

  private void response(JsonNode response, int index) {
    String at = "[" + index + "]";
    if (!response.isObject()) {
      add(
          ProblemCode.DEF_SCRIPT_RESPONSE,
          at,
          index,
          "must be an object {content?, tool_calls?, delay_ms?, usage?}");
      return;
    }
    JsonNode content = response.get("content");
    boolean hasContent = false;
    if (content != null && !content.isNull()) {
      if (!content.isTextual())
        add(ProblemCode.DEF_SCRIPT_RESPONSE, at + ".content", index, "must be a string");
      else hasContent = !content.asText().isEmpty();
    }
    int calls = toolCalls(response.get("tool_calls"), at + ".tool_calls", index);
    if (!hasContent && calls == 0 && (content == null || content.isNull() || content.isTextual())) {
      add(ProblemCode.DEF_SCRIPT_RESPONSE, at, index, "needs content or tool_calls");
    }
    JsonNode delay = response.get("delay_ms");
    if (delay != null
        && !delay.isNull()
        && (!delay.isIntegralNumber()
            || delay.asLong() < 0
            || delay.asLong() > MAX_DELAY_MS
            || !delay.canConvertToLong())) {
      add(
          ProblemCode.DEF_SCRIPT_DELAY,
          at + ".delay_ms",
          index,
          "must be a whole number of milliseconds from 0 to " + MAX_DELAY_MS);
    }
    usage(response.get("usage"), at + ".usage", index);
  }

  /** How many tool calls there are, counting a malformed list (already reported) as present. */
  private int toolCalls(JsonNode calls, String at, int index) {
    if (calls == null || calls.isNull()) return 0;
    if (!calls.isArray()) {
      add(ProblemCode.DEF_SCRIPT_TOOL_CALLS, at, index, "must be an array of {name, args?, id?}");
      return 1; // present, though malformed: "needs content or tool_calls" would only repeat it
    }
    int valid = 0;
    for (int j = 0; j < calls.size(); j++) {
      JsonNode call = calls.get(j);
      String callAt = at + "[" + j + "]";
      if (!call.isObject()) {
        add(
            ProblemCode.DEF_SCRIPT_TOOL_CALLS,
            callAt,
            index,
            "must be an object {name, args?, id?}");
        continue;
      }
      boolean ok = true;
      JsonNode name = call.get("name");
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        add(
            ProblemCode.DEF_SCRIPT_TOOL_CALLS,
            callAt + ".name",
            index,
            "every tool call needs a name (a non-blank string)");
        ok = false;
      }
      JsonNode args = call.get("args");
      if (args != null && !args.isNull() && !args.isObject()) {
        add(
            ProblemCode.DEF_SCRIPT_TOOL_CALLS,
            callAt + ".args",
            index,
            "must be an object of arguments");
        ok = false;
      }
      JsonNode id = call.get("id");
      if (id != null
          && !id.isNull()
          && (!id.isTextual() || id.asText().isBlank() || id.asText().length() > 256)) {
        add(
            ProblemCode.DEF_SCRIPT_TOOL_CALLS,
            callAt + ".id",
            index,
            "must be a non-blank string of at most 256 characters");
        ok = false;
      }
      if (ok) valid++;
    }
    return calls.isEmpty() ? 0 : Math.max(valid, 1);
  }

  private void usage(JsonNode usage, String at, int index) {
    if (usage == null || usage.isNull()) return;
    if (!usage.isObject()) {
      add(
          ProblemCode.DEF_SCRIPT_USAGE,
          at,
          index,
          "must be an object {input_tokens, output_tokens}");
      return;
    }
    for (String field : List.of("input_tokens", "output_tokens")) {
      JsonNode count = usage.get(field);
      if (count != null
          && !count.isNull()
          && (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 0)) {
        add(
            ProblemCode.DEF_SCRIPT_USAGE,
            at + "." + field,
            index,
            "must be a whole number of tokens, 0 or more");
      }
    }
  }

  private void add(ProblemCode code, String path, int response, String message) {
    problems.add(new ScriptProblem(code, path, response, message));
  }
}
