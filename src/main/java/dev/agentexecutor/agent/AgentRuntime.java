package dev.agentexecutor.agent;

import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.mcp.McpConnector;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.observability.Tracing;

/**
 * What every agent built by the service shares: model, checkpoints, the HTTP tool client, the MCP
 * connector, tracing, limits and the agent settings (structured output, context, MCP).
 */
public record AgentRuntime(
    ModelClient model,
    Checkpointer checkpointer,
    HttpToolClient httpTools,
    Tracing tracing,
    Settings.ModelSettings models,
    Settings.Limits limits,
    Settings.AgentSettings agent,
    McpConnector mcp) {

  /** With the default agent settings and an MCP connector under the default address policy. */
  public AgentRuntime(
      ModelClient model,
      Checkpointer checkpointer,
      HttpToolClient httpTools,
      Tracing tracing,
      Settings.ModelSettings models,
      Settings.Limits limits) {
    this(
        model,
        checkpointer,
        httpTools,
        tracing,
        models,
        limits,
        Settings.AgentSettings.DEFAULTS,
        new McpConnector(HttpToolPolicy.DEFAULT, Settings.AgentSettings.DEFAULTS));
  }
}
