package dev.agentexecutor.agent;

import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.observability.Tracing;

/**
 * What every agent built by the service shares: model, checkpoints, the HTTP tool client, tracing
 * and limits.
 */
public record AgentRuntime(
    ModelClient model,
    Checkpointer checkpointer,
    HttpToolClient httpTools,
    Tracing tracing,
    Settings.ModelSettings models,
    Settings.Limits limits) {}
