package dev.agentexecutor.agent.tools.mcp;

import dev.agentexecutor.agent.definition.McpServerRuntime;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One job's open session with one MCP server: its allowed tools, as the server lists them, and
 * calls to them. Closed when the job's run returns; closing cuts its tunnel too.
 */
public final class McpSession implements AutoCloseable {
  /** Pages of tools/list read at most, so that a server cannot keep a job listing forever. */
  private static final int MAX_TOOL_PAGES = 20;

  private final String name;
  private final McpServerRuntime server;
  private final McpSyncClient client;
  private final VettedTunnel tunnel;
  private final Duration timeout;

  McpSession(
      String name,
      McpServerRuntime server,
      McpSyncClient client,
      VettedTunnel tunnel,
      Duration timeout) {
    this.name = name;
    this.server = server;
    this.client = client;
    this.tunnel = tunnel;
    this.timeout = timeout;
  }

  public String name() {
    return name;
  }

  /** The server's tools that its allow-list lets through, in the server's order. */
  public List<McpSchema.Tool> tools() {
    List<McpSchema.Tool> tools = new ArrayList<>();
    String cursor = null;
    try {
      for (int page = 0; page < MAX_TOOL_PAGES; page++) {
        McpSchema.ListToolsResult result =
            cursor == null ? client.listTools() : client.listTools(cursor);
        for (McpSchema.Tool tool : result.tools()) if (server.allows(tool.name())) tools.add(tool);
        cursor = result.nextCursor();
        if (cursor == null || cursor.isEmpty()) break;
      }
    } catch (RuntimeException e) {
      throw new McpServerException(name, server.url(), "tools/list failed: " + describe(e), e);
    }
    return tools;
  }

  /** Calls {@code tool} with {@code args} (tools/call), within MCP_TIMEOUT_SECONDS. */
  public McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  public Duration timeout() {
    return timeout;
  }

  /** A failure of the SDK in one line: its message, or its cause's. */
  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
    String message = e.getMessage() == null ? cause.getMessage() : e.getMessage();
    String why = cause == e ? "" : " (" + cause.getClass().getSimpleName() + ")";
    return (message == null ? e.getClass().getSimpleName() : message) + why;
  }

  @Override
  public void close() {
    try {
      client.closeGracefully();
    } catch (RuntimeException e) {
      client.close();
    } finally {
      tunnel.close();
    }
  }
}
