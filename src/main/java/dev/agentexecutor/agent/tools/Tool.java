package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.model.ToolSpec;

/**
 * A tool an agent can call. Tools are pure functions of (arguments, state) plus, for HTTP and task
 * tools, an outside effect; a {@link ToolException} becomes an error message the model sees.
 */
public interface Tool {
  /** Where a call of the tool runs, by the kind of work it does (see docs/decisions.md). */
  enum Execution {
    /**
     * Work bounded by the state's size limits (milliseconds at most): on the agent's own thread.
     */
    INLINE,
    /**
     * Work that depends on a pattern the model chose: on a platform thread, within the tool call
     * time limit.
     */
    CPU_BOUND,
    /** Waiting on the network: on a virtual thread of its own, within the tool call time limit. */
    IO_BOUND,
    /**
     * Running an agent loop of its own (the task tool): on the thread that calls it, bounded by the
     * run's own limits rather than the tool call time limit.
     */
    SUBAGENT
  }

  ToolSpec spec();

  default String name() {
    return spec().name();
  }

  default Execution execution() {
    return Execution.INLINE;
  }

  ToolResult call(ObjectNode args, AgentState state, ToolCallContext context);
}
