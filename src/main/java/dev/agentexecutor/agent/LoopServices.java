package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.ToolResultPolicy;
import java.util.Map;

/**
 * What the loops of one deep agent share: the service's runtime (model, checkpoints, tracing,
 * limits), the summarizer, the subagents a task call can start, by name, and what becomes of tool
 * results before the model sees them.
 */
record LoopServices(
    AgentRuntime runtime,
    Summarizer summarizer,
    Map<String, AgentNode> subagents,
    ToolResultPolicy toolResults) {

  LoopServices(AgentRuntime runtime, Summarizer summarizer, Map<String, AgentNode> subagents) {
    this(runtime, summarizer, subagents, ToolResultPolicy.NONE);
  }
}
