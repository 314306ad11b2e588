package dev.agentexecutor.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a scripted model's responses (format in {@code docs/scripted-provider.md}) into prepared
 * {@link ScriptedReply}s, rejecting malformed scripts with messages that name the response. Script
 * files are read only from the script directory; see {@link #readFile}.
 */
final class ScriptReader {
  /** Splits before each run of whitespace, so "a b" streams as "a", " b" and joins back exactly. */
  private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=\\S)(?=\\s)");

  /** The largest script file read, in bytes. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private ScriptReader() {}

  /**
   * The script in {@code file}, a path relative to {@code directory}: normalised, its symbolic
   * links resolved, and read only when it is then a regular file inside the directory and at most
   * {@link #MAX_FILE_BYTES}. Whatever the reason it cannot be read (missing, outside, not a regular
   * file, unreadable), the error is the same and says nothing of the file's existence or content.
   */
  static List<ScriptedReply> readFile(Optional<Path> directory, String file) {
    if (directory.isEmpty()) {
      throw new ModelException(
          "scripted model files are disabled on this service (SCRIPTED_SCRIPT_DIR is unset): "
              + "give the script inline",
          0,
          null);
    }
    Path real = confined(directory.get(), file).orElseThrow(() -> unavailable(file));
    byte[] bytes;
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
    } catch (IOException | RuntimeException e) {
      throw unavailable(file);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ModelException(
          "scripted model file '" + file + "' is larger than " + MAX_FILE_BYTES + " bytes",
          0,
          null);
    }
    return read(parse(bytes, file), "script file " + file);
  }

  /** The real path of {@code file} when it is a regular file inside {@code directory}. */
  static Optional<Path> confined(Path directory, String file) {
    if (ScriptValidator.filePathProblem(Json.MAPPER.getNodeFactory().textNode(file)) != null)
      return Optional.empty();
    try {
      Path base = directory.toRealPath();
      Path candidate = base.resolve(file).normalize();
      if (!candidate.startsWith(base)) return Optional.empty();
      Path real = candidate.toRealPath();
      if (!real.startsWith(base) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS))
        return Optional.empty();
      return Optional.of(real);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static ModelException unavailable(String file) {
    return new ModelException(
        "cannot read scripted model file '"
            + file
            + "': it must be a readable regular file "
            + "inside the script directory (SCRIPTED_SCRIPT_DIR), named by a relative path",
        0,
        null);
  }

  /** The file's JSON; a syntax error names where it is, never what the file holds. */
  private static JsonNode parse(byte[] bytes, String file) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new ModelException(
          "scripted model file '" + file + "' is not valid JSON" + where, 0, null);
    } catch (IOException e) {
      throw unavailable(file);
    }
  }

  static List<ScriptedReply> read(JsonNode script, String source) {
    if (script == null || !script.isArray()) {
      throw invalid(source, "must be a JSON array of responses or {\"file\": \"path\"}");
    }
    List<ScriptValidator.ScriptProblem> problems = ScriptValidator.responses(script);
    if (!problems.isEmpty()) {
      ScriptValidator.ScriptProblem first = problems.get(0);
      String where =
          first.response() < 0 ? source : "response #" + (first.response() + 1) + " of " + source;
      throw invalid(
          where,
          first.message()
              + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
    }
    List<ScriptedReply> replies = new ArrayList<>(script.size());
    for (int index = 0; index < script.size(); index++) {
      replies.add(reply(script.get(index), index));
    }
    return List.copyOf(replies);
  }

  /** A response the validator accepted. */
  private static ScriptedReply reply(JsonNode node, int index) {
    String content = node.path("content").asText("");
    List<ToolCall> toolCalls = toolCalls(node.path("tool_calls"), index);
    long delay = node.path("delay_ms").asLong(0);
    long outputChars = content.length();
    for (ToolCall call : toolCalls)
      outputChars += call.name().length() + Json.write(call.args()).length();
    return new ScriptedReply(
        content, tokens(content), toolCalls, delay, usage(node.get("usage")), outputChars);
  }

  private static List<ToolCall> toolCalls(JsonNode calls, int replyIndex) {
    if (!calls.isArray()) return List.of();
    List<ToolCall> result = new ArrayList<>(calls.size());
    for (JsonNode call : calls) {
      String name = call.path("name").asText();
      JsonNode args = call.path("args");
      String id =
          call.path("id").isTextual()
              ? call.get("id").asText()
              : "call_" + replyIndex + "_" + result.size();
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
