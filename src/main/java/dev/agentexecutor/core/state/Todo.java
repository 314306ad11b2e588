package dev.agentexecutor.core.state;

/** One item of the agent's plan; status is pending, in_progress or completed (as in deepagents). */
public record Todo(String content, String status) {}
