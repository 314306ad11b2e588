package dev.agentexecutor.agent;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.observability.Tracing;
import java.net.http.HttpClient;

/** What every agent built by the service shares: model, checkpoints, HTTP client, tracing and limits. */
public record AgentRuntime(
    ModelClient model,
    Checkpointer checkpointer,
    HttpClient httpClient,
    Tracing tracing,
    Settings.ModelSettings models,
    Settings.Limits limits,
    dev.agentexecutor.agent.tools.HttpToolPolicy httpToolPolicy) {}
