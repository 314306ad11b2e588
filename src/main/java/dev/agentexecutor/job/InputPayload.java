package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's input: {@code messages} (list of {role, content, tool_calls?}), {@code instructions}
 * and {@code context} (together one user message), optional {@code files} ({path: text}) seeding
 * the virtual file system; every other key is kept in the state as is.
 */
public final class InputPayload {
  private static final Set<String> KNOWN = Set.of("messages", "instructions", "context", "files");

  private InputPayload() {}

  public static List<Problem> problems(ObjectNode input, String path) {
    List<Problem> problems = new ArrayList<>();
    JsonNode messages = input.get("messages");
    if (messages != null && !messages.isNull()) {
      if (!messages.isArray()) {
        problems.add(
            new Problem(
                ProblemCode.INPUT_MESSAGES,
                path + ".messages",
                "must be an array of {role, content}"));
      } else {
        for (int i = 0; i < messages.size(); i++)
          messageProblems(messages.get(i), path + ".messages[" + i + "]", problems);
      }
    }
    JsonNode instructions = input.get("instructions");
    if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
      problems.add(
          new Problem(
              ProblemCode.INPUT_INSTRUCTIONS,
              path + ".instructions",
              "must be a string, not " + DefinitionParser.kind(instructions)));
    }
    JsonNode files = input.get("files");
    if (files != null && !files.isNull()) {
      if (!files.isObject()) {
        problems.add(
            new Problem(
                ProblemCode.INPUT_FILES, path + ".files", "must be an object of path to text"));
      } else {
        files
            .fields()
            .forEachRemaining(
                f -> {
                  if (!f.getValue().isTextual()) {
                    problems.add(
                        new Problem(
                            ProblemCode.INPUT_FILES,
                            path + ".files." + f.getKey(),
                            "file content must be a string"));
                  } else if (List.of(f.getKey().split("/")).contains("..")
                      || f.getKey().isBlank()) {
                    problems.add(
                        new Problem(
                            ProblemCode.INPUT_FILES,
                            path + ".files." + f.getKey(),
                            "file paths must be non-blank and must not contain '..' segments"));
                  }
                });
      }
    }
    boolean hasMessages = messages != null && messages.isArray() && !messages.isEmpty();
    boolean hasText =
        (instructions != null && instructions.isTextual() && !instructions.asText().isBlank())
            || (input.get("context") != null && !input.get("context").isNull());
    if (problems.isEmpty() && !hasMessages && !hasText) {
      problems.add(
          new Problem(
              ProblemCode.INPUT_EMPTY,
              path,
              "gives the agent nothing to do: provide messages, instructions or context"));
    }
    return problems;
  }

  private static void messageProblems(JsonNode message, String path, List<Problem> problems) {
    if (!message.isObject()) {
      problems.add(
          new Problem(ProblemCode.INPUT_MESSAGE, path, "must be an object {role, content}"));
      return;
    }
    JsonNode role = message.get("role");
    if (role == null || !role.isTextual()) {
      problems.add(
          new Problem(
              ProblemCode.INPUT_MESSAGE_ROLE,
              path + ".role",
              "is required (system, user, assistant or tool)"));
    } else {
      try {
        Role.parse(role.asText());
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(ProblemCode.INPUT_MESSAGE_ROLE, path + ".role", e.getMessage()));
      }
    }
    JsonNode content = message.get("content");
    if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
      problems.add(
          new Problem(
              ProblemCode.INPUT_MESSAGE_CONTENT,
              path + ".content",
              "must be a string or a list of content parts"));
    }
  }

  /** The initial state of a run for a validated input payload. */
  public static AgentState initialState(ObjectNode input, Instant now) {
    List<Message> messages = new ArrayList<>();
    JsonNode given = input.get("messages");
    if (given != null && given.isArray()) {
      for (JsonNode m : given) messages.add(message(m, messages.size()));
    }
    String text = userText(input);
    if (!text.isEmpty()) messages.add(Message.user(text));
    Map<String, FileData> files = new LinkedHashMap<>();
    JsonNode seed = input.get("files");
    if (seed != null && seed.isObject()) {
      seed.fields()
          .forEachRemaining(
              f -> files.put(normalizePath(f.getKey()), FileData.of(f.getValue().asText(), now)));
    }
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    input
        .fields()
        .forEachRemaining(
            f -> {
              if (!KNOWN.contains(f.getKey())) extra.put(f.getKey(), f.getValue());
            });
    return AgentState.initial(messages, files, extra);
  }

  static String normalizePath(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  private static String userText(ObjectNode input) {
    StringBuilder text = new StringBuilder();
    JsonNode instructions = input.get("instructions");
    if (instructions != null && instructions.isTextual())
      text.append(instructions.asText().strip());
    JsonNode context = input.get("context");
    if (context != null && !context.isNull()) {
      if (!text.isEmpty()) text.append("\n\n");
      text.append("Context:\n")
          .append(context.isTextual() ? context.asText() : context.toPrettyString());
    }
    return text.toString();
  }

  /** One input message; tool calls without an id get one unique in the conversation. */
  private static Message message(JsonNode m, int index) {
    Role role = Role.parse(m.get("role").asText());
    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = m.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      int n = 0;
      for (JsonNode call : toolCalls) {
        JsonNode args = call.has("args") ? call.get("args") : call.path("arguments");
        ObjectNode argObject =
            args.isObject()
                ? (ObjectNode) args
                : args.isTextual() ? parseArgs(args.asText()) : Json.object();
        String id =
            call.path("id").isTextual() ? call.get("id").asText() : "input_call_" + index + "_" + n;
        n++;
        calls.add(
            new ToolCall(
                id,
                call.path("name").asText(call.path("function").path("name").asText("unknown")),
                argObject));
      }
    }
    return new Message(
        role,
        contentText(m.get("content")),
        calls,
        m.path("tool_call_id").isTextual() ? m.get("tool_call_id").asText() : null,
        m.path("name").isTextual() ? m.get("name").asText() : null);
  }

  private static ObjectNode parseArgs(String text) {
    try {
      JsonNode parsed = Json.parse(text);
      return parsed.isObject() ? (ObjectNode) parsed : Json.object();
    } catch (RuntimeException e) {
      return Json.object();
    }
  }

  private static String contentText(JsonNode content) {
    if (content == null || content.isNull()) return "";
    if (content.isTextual()) return content.asText();
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.isTextual()) text.append(part.asText());
      else if (part.path("text").isTextual()) text.append(part.get("text").asText());
    }
    return text.toString();
  }
}
