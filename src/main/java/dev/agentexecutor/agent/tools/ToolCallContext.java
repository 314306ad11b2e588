package dev.agentexecutor.agent.tools;

import java.time.Instant;

/** What a tool call knows about where it runs: its call id (subagent namespaces) and the time. */
public record ToolCallContext(String toolCallId, String node, Instant now) {}
