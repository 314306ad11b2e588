package dev.agentexecutor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.stream.AgentEvent;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;

/** Shows a run's events in a terminal: tokens as they stream, tool calls, plan changes, files. */
final class ConsoleRenderer {
  private static final int PREVIEW = 160;
  private final PrintStream out;
  private final boolean silent;
  private String currentNode;
  private String lastTodos = "";
  private JsonNode lastFiles;
  private boolean midLine;

  ConsoleRenderer(PrintStream out, boolean silent) {
    this.out = out;
    this.silent = silent;
  }

  synchronized void render(AgentEvent event) {
    if (event.eventType().equals(AgentEvent.STATE_UPDATE)) lastFiles = event.data().path("files");
    if (silent) return;
    JsonNode data = event.data();
    switch (event.eventType()) {
      case AgentEvent.LLM_STREAM -> {
        String node = data.path("node").asText();
        if (!node.equals(currentNode)) {
          newLine();
          out.print("[" + node + "] ");
          currentNode = node;
        }
        out.print(data.path("token").asText());
        midLine = true;
      }
      case AgentEvent.TOOL_START -> {
        newLine();
        out.println(
            "  -> "
                + data.path("node").asText()
                + " calls "
                + data.path("tool").asText()
                + " "
                + preview(data.path("input").toString()));
        currentNode = null;
      }
      case AgentEvent.TOOL_END -> {
        newLine();
        currentNode = null;
        out.println(
            "  <- "
                + data.path("tool").asText()
                + ("error".equals(data.path("status").asText()) ? " ERROR " : " ")
                + preview(data.path("output").asText()));
      }
      case AgentEvent.STATE_UPDATE -> renderTodos(data.path("todos"));
      case AgentEvent.ERROR -> {
        newLine();
        out.println("  !! " + data.path("error").asText());
      }
      case AgentEvent.END -> {
        newLine();
        renderFiles();
      }
      default -> {}
    }
    out.flush();
  }

  private void renderTodos(JsonNode todos) {
    String text = todos.toString();
    if (text.equals(lastTodos) || todos.isEmpty()) return;
    lastTodos = text;
    newLine();
    out.println("  plan:");
    for (JsonNode todo : todos) {
      String mark =
          switch (todo.path("status").asText()) {
            case "completed" -> "[x]";
            case "in_progress" -> "[>]";
            default -> "[ ]";
          };
      out.println("    " + mark + " " + todo.path("content").asText());
    }
  }

  private void renderFiles() {
    if (lastFiles == null || lastFiles.isEmpty()) return;
    out.println("files:");
    for (Iterator<Map.Entry<String, JsonNode>> it = lastFiles.fields(); it.hasNext(); ) {
      var file = it.next();
      out.println("  " + file.getKey() + " (" + file.getValue().path("content").size() + " lines)");
    }
  }

  private void newLine() {
    if (midLine) out.println();
    midLine = false;
  }

  private static String preview(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= PREVIEW ? oneLine : oneLine.substring(0, PREVIEW) + "...";
  }

  static void printResult(PrintStream out, JsonNode data, boolean quiet) {
    JsonNode result = data.path("result");
    if (quiet) {
      out.println(result.path("output").asText());
      return;
    }
    out.println();
    out.println("== completed ==");
    out.println(result.path("output").asText());
    JsonNode usage = result.path("usage");
    out.println(
        "tokens: "
            + usage.path("input_tokens").asLong()
            + " in, "
            + usage.path("output_tokens").asLong()
            + " out");
  }

  static void printFailure(PrintStream err, JsonNode data) {
    JsonNode error = data.path("error");
    err.println();
    err.println("== failed (" + error.path("type").asText() + ") ==");
    err.println(error.path("message").asText());
  }
}
