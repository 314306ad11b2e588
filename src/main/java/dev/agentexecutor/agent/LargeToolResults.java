package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.ToolCall;

/**
 * Moves a tool result longer than LARGE_TOOL_RESULT_CHARS into the job's files at {@code
 * /large_tool_results/{tool_call_id}}; the model gets a short pointer with the first lines and can
 * read the rest with read_file or grep (deepagents does the same). Errors stay as they are, and a
 * result whose file would break the state's limits is left to MAX_TOOL_RESULT_CHARS' cut.
 */
final class LargeToolResults implements ToolResultPolicy {
  static final String FOLDER = "/large_tool_results";
  static final int PREVIEW_LINES = 10;
  static final int PREVIEW_CHARS = 2_000;

  private final int thresholdChars;

  LargeToolResults(int thresholdChars) {
    this.thresholdChars = thresholdChars;
  }

  @Override
  public ToolResult apply(ToolCall call, ToolResult result, ToolCallContext context) {
    if (result.error() || result.output().length() <= thresholdChars) return result;
    String path = FOLDER + "/" + JobFiles.segment(call.id());
    AgentState saved =
        JobFiles.write(result.state(), path, result.output(), context.limits(), context.now());
    if (saved == null) return result;
    return ToolResult.ok(pointer(path, result.output()), saved);
  }

  private static String pointer(String path, String output) {
    String[] lines = output.split("\n", PREVIEW_LINES + 1);
    StringBuilder preview = new StringBuilder();
    for (int i = 0; i < Math.min(PREVIEW_LINES, lines.length); i++) {
      if (preview.length() + lines[i].length() > PREVIEW_CHARS) {
        preview.append(lines[i], 0, Math.max(0, PREVIEW_CHARS - preview.length())).append("…\n");
        break;
      }
      preview.append(lines[i]).append('\n');
    }
    long lineCount = output.chars().filter(c -> c == '\n').count() + 1;
    return "The result was too long to show here ("
        + output.length()
        + " characters, "
        + lineCount
        + " lines) and was saved to "
        + path
        + ". Read it with read_file (offset and limit) or search it with grep. It begins:\n"
        + preview;
  }
}
