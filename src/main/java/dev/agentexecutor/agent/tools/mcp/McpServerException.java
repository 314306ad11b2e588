package dev.agentexecutor.agent.tools.mcp;

import java.net.URI;

/**
 * An MCP server a job needs cannot be used: unreachable, refused by the address policy, or its
 * session failed to start. The job fails at start with this message, which names the server.
 */
public final class McpServerException extends RuntimeException {
  public McpServerException(String server, URI url, String reason, Throwable cause) {
    super("MCP server '" + server + "' (" + url + ") cannot be used: " + reason, cause);
  }
}
