package dev.agentexecutor.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.state.ToolCall;
import dev.agentexecutor.agent.state.Usage;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a scripted model's responses (format in {@code docs/scripted-provider.md}) into prepared
 * {@link ScriptedReply}s, rejecting malformed scripts with messages that name the response.
 */
final class ScriptReader {
  /** Splits before each run of whitespace, so "a b" streams as "a", " b" and joins back exactly. */
  private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=\\S)(?=\\s)");

  private ScriptReader() {}

  static List<ScriptedReply> readFile(Path file) {
    try {
      return read(Json.parse(Files.readAllBytes(file)), "script file " + file);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ModelException modelException) throw modelException;
      throw new ModelException(
          "cannot read scripted model file " + file + ": " + e.getMessage(), 0, e);
    }
  }

  static List<ScriptedReply> read(JsonNode script, String source) {
    if (script == null || !script.isArray()) {
      throw invalid(source, "must be a JSON array of responses or {\"file\": \"path\"}");
    }
    List<ScriptedReply> replies = new ArrayList<>(script.size());
    for (int index = 0; index < script.size(); index++) {
      replies.add(reply(script.get(index), index, source));
    }
    return List.copyOf(replies);
  }

  private static ScriptedReply reply(JsonNode node, int index, String source) {
    String where = "response #" + (index + 1) + " of " + source;
    if (!node.isObject()) throw invalid(where, "must be an object");
    String content = node.path("content").asText("");
    List<ToolCall> toolCalls = toolCalls(node.path("tool_calls"), index, where);
    if (content.isEmpty() && toolCalls.isEmpty())
      throw invalid(where, "needs content or tool_calls");
    long delay = node.path("delay_ms").asLong(0);
    if (delay < 0) throw invalid(where, "delay_ms must not be negative");
    long outputChars = content.length();
    for (ToolCall call : toolCalls)
      outputChars += call.name().length() + Json.write(call.args()).length();
    return new ScriptedReply(
        content, tokens(content), toolCalls, delay, usage(node.get("usage")), outputChars);
  }

  private static List<ToolCall> toolCalls(JsonNode calls, int replyIndex, String where) {
    if (calls.isMissingNode() || calls.isNull()) return List.of();
    if (!calls.isArray()) throw invalid(where, "tool_calls must be an array");
    List<ToolCall> result = new ArrayList<>(calls.size());
    for (JsonNode call : calls) {
      String name = call.path("name").asText("");
      if (name.isEmpty()) throw invalid(where, "every tool call needs a name");
      JsonNode args = call.path("args");
      if (!args.isMissingNode() && !args.isObject())
        throw invalid(where, "args of " + name + " must be an object");
      String id = call.path("id").asText("call_" + replyIndex + "_" + result.size());
      result.add(new ToolCall(id, name, args.isObject() ? (ObjectNode) args : Json.object()));
    }
    return List.copyOf(result);
  }

  private static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) return null;
    return new Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
  }

  private static List<String> tokens(String content) {
    return content.isEmpty() ? List.of() : List.of(WORD_BOUNDARY.split(content));
  }

  private static ModelException invalid(String where, String problem) {
    return new ModelException("invalid scripted model " + where + ": " + problem, 0, null);
  }
}
