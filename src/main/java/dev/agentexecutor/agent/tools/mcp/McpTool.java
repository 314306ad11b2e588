package dev.agentexecutor.agent.tools.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * One tool of an MCP server, as the model sees it: the name, description and input schema the
 * server listed; a call goes through the job's session ({@code tools/call}) and its result becomes
 * text ({@link McpResults}). A result the server marks as an error is a tool error the model sees.
 */
public final class McpTool implements Tool {
  private static final TypeReference<Map<String, Object>> ARGS = new TypeReference<>() {};

  private final McpSession session;
  private final String toolName;
  private final ToolSpec spec;

  public McpTool(McpSession session, McpSchema.Tool tool) {
    this.session = session;
    this.toolName = tool.name();
    this.spec =
        new ToolSpec(
            tool.name(),
            tool.description() == null ? "" : tool.description(),
            inputSchema(tool.inputSchema()));
  }

  /** The server's input schema; a tool without one takes no arguments. */
  private static ObjectNode inputSchema(Map<String, Object> schema) {
    JsonNode tree = schema == null ? null : Json.MAPPER.valueToTree(schema);
    if (tree instanceof ObjectNode object) return object;
    ObjectNode empty = Json.object().put("type", "object");
    empty.putObject("properties");
    return empty;
  }

  /** The MCP server this tool belongs to. */
  public String server() {
    return session.name();
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Execution execution() {
    return Execution.IO_BOUND;
  }

  @Override
  public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
    McpSchema.CallToolResult result;
    try {
      result = session.call(toolName, Json.MAPPER.convertValue(args, ARGS));
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted())
        throw new ToolException("the call to " + toolName + " was interrupted");
      throw new ToolException(
          "the call to "
              + toolName
              + " on MCP server "
              + session.name()
              + " failed: "
              + McpSession.describe(e));
    }
    String text = McpResults.text(result);
    return Boolean.TRUE.equals(result.isError())
        ? ToolResult.error("Error: " + toolName + " failed: " + text, state)
        : ToolResult.ok(text, state);
  }
}
