package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.model.ToolSpec;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * task(description, subagent_type): runs a subagent on a task with a fresh conversation and the
 * shared file system, through the call context's handle ({@link ToolCallContext#subagents()}), and
 * returns its final message; the files it wrote come back to the caller. Several task calls of one
 * reply run in parallel; a subagent that parks for approval makes its call park ({@link
 * dev.agentexecutor.agent.run.SubagentParkedException}, let through).
 */
public final class TaskTool implements Tool {
  private final Map<String, String> subagentDescriptions;
  private final ToolSpec spec;

  /**
   * @param subagentDescriptions every subagent's name and description, in the order to show them
   */
  public TaskTool(Map<String, String> subagentDescriptions) {
    this.subagentDescriptions = Map.copyOf(subagentDescriptions);
    String catalogue =
        subagentDescriptions.entrySet().stream()
            .map(e -> "- " + e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("\n"));
    this.spec =
        new ToolSpec(
            "task",
            "Launch a short-lived subagent to handle a complex, self-contained task in its own context "
                + "window. It shares your file system and returns one final report, which you then use. "
                + "Give a detailed description: the subagent sees nothing of your conversation. Launch "
                + "several in one reply when tasks are independent.\n\nAvailable subagent types:\n"
                + catalogue,
            PARAMETERS);
  }

  /** The same for every task tool (only the description lists the job's subagents). */
  private static final ObjectNode PARAMETERS =
      Schemas.object()
          .string(
              "description",
              "The complete task for the subagent, with everything it needs to know.")
          .string("subagent_type", "Which subagent to use (one of the available types).")
          .required("description", "subagent_type");

  /** The argument schema, shared by every task tool. */
  public static ObjectNode parameters() {
    return PARAMETERS;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Execution execution() {
    return Execution.SUBAGENT;
  }

  @Override
  public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
    String description = Args.requiredString(args, "description");
    String type = Args.requiredString(args, "subagent_type");
    if (!subagentDescriptions.containsKey(type)) {
      throw new ToolException(
          "invoked agent of type "
              + type
              + ", the only allowed types are "
              + subagentDescriptions.keySet().stream()
                  .sorted()
                  .map(t -> "`" + t + "`")
                  .collect(Collectors.joining(", ")));
    }
    AgentState result = context.subagents().run(type, description, state);
    String answer = result.lastMessage() == null ? "" : result.lastMessage().content();
    return ToolResult.ok(answer, state.withFiles(result.files()));
  }
}
