package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A job-defined tool: what the model sees (name, description, JSON Schema) and how it runs, over
 * HTTP ({@code http}) or as the tools of a remote MCP server ({@code mcp}: the name is then the
 * server's, and the tools' names, descriptions and schemas come from the server).
 */
public record ToolDefinition(
    String name,
    String description,
    ObjectNode parameters,
    HttpToolRuntime http,
    McpServerRuntime mcp) {

  /** An HTTP tool. */
  public ToolDefinition(
      String name, String description, ObjectNode parameters, HttpToolRuntime http) {
    this(name, description, parameters, http, null);
  }

  public boolean isMcp() {
    return mcp != null;
  }
}
