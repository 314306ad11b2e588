package dev.agentexecutor.agent;

import java.util.Map;

/**
 * What the loops of one deep agent share: the service's runtime (model, checkpoints, tracing,
 * limits), what becomes of tool results before the model reads them, and the subagents a task call
 * can start, by name.
 */
record LoopServices(
    AgentRuntime runtime, ToolResultPolicy toolResults, Map<String, AgentNode> subagents) {}
