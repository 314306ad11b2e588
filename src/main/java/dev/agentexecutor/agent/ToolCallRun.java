package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.SubagentParkedException;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.TaskTool;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelException;
import java.util.Map;

/**
 * One tool call from start to result, the unit a tool step is made of: the start and end events,
 * the call itself on the thread its kind of work belongs on (with its own context, including a
 * handle to start a subagent), and the result held to the state's limits. A tool's own failure
 * becomes a result the model sees; what is not the tool's fault (the run stopped, a backend or the
 * model failed, a subagent's loop failed) stops the run.
 */
final class ToolCallRun {
  private final AgentNode node;
  private final RunContext run;
  private final LoopServices services;
  private final ToolExecution execution;

  ToolCallRun(AgentNode node, RunContext run, LoopServices services) {
    this.node = node;
    this.run = run;
    this.services = services;
    this.execution = new ToolExecution(services.runtime().limits().toolCallTimeout());
  }

  /**
   * A call's result with the state after it, and the tokens used by the subagent it started (zero
   * for other tools).
   */
  record Ran(ToolResult result, Usage subagentUsage) {}

  /**
   * The kind of work a call does (where and how it may run); a call of an unknown tool is answered
   * at once.
   */
  Tool.Execution kindOf(ToolCall call) {
    Tool tool = node.tools().get(call.name());
    return tool == null ? Tool.Execution.INLINE : tool.execution();
  }

  /**
   * Runs the call on {@code state}; started and ended on the run's listener. A subagent that parks
   * throws {@link SubagentParkedException} (its call has not ended).
   */
  Ran execute(ToolCall call, AgentState state) {
    Origin origin = run.origin(node.name());
    run.listener().onToolStart(origin, call);
    SubagentLauncher subagents = new SubagentLauncher(services, run, call.id());
    ToolResult outcome = outcome(call, state, subagents);
    // The one place where a result turns into what the model reads (large ones go to a file).
    outcome = services.toolResults().apply(call, outcome, contextOf(call, subagents));
    ToolResult result = withinLimits(call, outcome, state);
    run.listener().onToolEnd(origin, call, result);
    return new Ran(result, subagents.usage());
  }

  private ToolResult outcome(ToolCall call, AgentState state, SubagentLauncher subagents) {
    Tool tool = node.tools().get(call.name());
    if (tool == null) {
      return ToolResult.error(
          "Error: tool '"
              + call.name()
              + "' does not exist. Available tools: "
              + String.join(", ", node.tools().keySet()),
          state);
    }
    ToolCallContext context = contextOf(call, subagents);
    try {
      return services
          .runtime()
          .tracing()
          .inSpan(
              "tool.call",
              call.name(),
              () ->
                  execution.run(
                      tool, () -> tool.call(call.args(), state, context), run.control(), state));
    } catch (ToolException e) {
      return ToolResult.error("Error: " + e.getMessage(), state);
    } catch (RunStoppedException
        | BackendUnavailableException
        | ModelException
        | SubagentParkedException e) {
      throw e; // not the tool's fault: the run stops (or is retried, or parks) as a whole
    } catch (RuntimeException e) {
      // A subagent's loop failing (its model, its checkpoints) is not a tool error: the run fails
      // as it would if the orchestrator's own loop had failed, and resumes from the checkpoints.
      if (tool instanceof TaskTool) throw e;
      return ToolResult.error("Error: " + call.name() + " failed: " + e, state);
    }
  }

  /** What the call is told of its run; a task call starts its subagent through it. */
  private ToolCallContext contextOf(ToolCall call, SubagentLauncher subagents) {
    return new ToolCallContext(
        call.id(),
        node.name(),
        run.control().now(),
        services.runtime().limits().state(),
        run,
        subagents);
  }

  /**
   * The result as the model may see it: cut at MAX_TOOL_RESULT_CHARS, and undone (an error instead)
   * if its files break the state's limits, which the file tools check themselves before writing.
   */
  private ToolResult withinLimits(ToolCall call, ToolResult result, AgentState before) {
    var limits = services.runtime().limits().state();
    if (filesChanged(before.files(), result.state().files())) {
      String problem = limits.problem(result.state().files());
      if (problem != null)
        return ToolResult.error("Error: " + call.name() + " was undone: " + problem, before);
    }
    int max = limits.maxToolResultChars();
    if (result.output().length() <= max) return result;
    String cut =
        result.output().substring(0, max)
            + "\n[truncated: the result has "
            + result.output().length()
            + " characters and only the first "
            + max
            + " are shown (MAX_TOOL_RESULT_CHARS); ask for less, e.g. a smaller range]";
    return new ToolResult(cut, result.state(), result.error());
  }

  /** Whether a file was added, removed or replaced; files are immutable, so identity says it. */
  private static boolean filesChanged(Map<String, FileData> before, Map<String, FileData> after) {
    if (before == after) return false;
    if (before.size() != after.size()) return true;
    for (Map.Entry<String, FileData> file : after.entrySet()) {
      if (before.get(file.getKey()) != file.getValue()) return true;
    }
    return false;
  }
}
