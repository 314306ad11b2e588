package dev.agentexecutor.model;

import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import java.util.List;

/**
 * One model call. {@code messages} starts with the system message; {@code node} names the agent
 * (orchestrator or subagent) for streaming events and logs.
 */
public record ModelRequest(
    String node, ModelConfig config, List<Message> messages, List<ToolSpec> tools) {}
