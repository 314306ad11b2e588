package dev.agentexecutor.agent;

import java.util.Map;

/**
 * What the loops of one deep agent share: the service's runtime (model, checkpoints, tracing,
 * limits), the summarizer and the subagents a task call can start, by name.
 */
record LoopServices(
    AgentRuntime runtime, Summarizer summarizer, Map<String, AgentNode> subagents) {}
