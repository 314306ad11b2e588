package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.definition.NodeDefinition;
import dev.agentexecutor.agent.definition.ToolDefinition;
import dev.agentexecutor.agent.tools.HttpTool;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.mcp.McpServerException;
import dev.agentexecutor.agent.tools.mcp.McpSession;
import dev.agentexecutor.agent.tools.mcp.McpTool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A job's own tools: its HTTP tools, and the tools of the MCP servers it names, whose sessions are
 * opened here (one per server, for the whole run) and closed with {@link #close}. A node lists a
 * server's name for all of its allowed tools, or {@code server.tool} for one.
 */
final class CustomTools implements AutoCloseable {
  /** The tool names model APIs accept. */
  private static final Pattern MODEL_TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final AgentDefinition definition;
  private final Map<String, Tool> httpTools;
  private final Map<String, McpSession> sessions;
  private final Map<String, List<McpTool>> mcpTools;

  private CustomTools(
      AgentDefinition definition,
      Map<String, Tool> httpTools,
      Map<String, McpSession> sessions,
      Map<String, List<McpTool>> mcpTools) {
    this.definition = definition;
    this.httpTools = httpTools;
    this.sessions = sessions;
    this.mcpTools = mcpTools;
  }

  /** The definition's tools, with a session opened to each MCP server (all closed on failure). */
  static CustomTools open(AgentDefinition definition, AgentRuntime runtime) {
    Map<String, Tool> http = new LinkedHashMap<>();
    Map<String, McpSession> sessions = new LinkedHashMap<>();
    Map<String, List<McpTool>> mcp = new LinkedHashMap<>();
    CustomTools tools = new CustomTools(definition, http, sessions, mcp);
    try {
      for (ToolDefinition tool : definition.tools().values()) {
        if (!tool.isMcp()) {
          http.put(tool.name(), new HttpTool(tool, runtime.httpTools()));
          continue;
        }
        McpSession session = runtime.mcp().open(tool.name(), tool.mcp());
        sessions.put(tool.name(), session);
        List<McpTool> listed = new ArrayList<>();
        session.tools().forEach(t -> listed.add(new McpTool(session, t)));
        for (McpTool listedTool : listed) checkName(tool, listedTool.name());
        mcp.put(tool.name(), listed);
      }
      return tools;
    } catch (RuntimeException e) {
      tools.close();
      throw e;
    }
  }

  private static void checkName(ToolDefinition server, String name) {
    if (!MODEL_TOOL_NAME.matcher(name).matches()) {
      throw new McpServerException(
          server.name(),
          server.mcp().url(),
          "its tool '"
              + name
              + "' has a name model APIs refuse (1-64 letters, digits, '_' or '-'); leave it out"
              + " with the tools allow-list",
          null);
    }
  }

  /** Every custom tool (what the general-purpose subagent gets). */
  List<Tool> all() {
    List<Tool> tools = new ArrayList<>(httpTools.values());
    mcpTools.values().forEach(tools::addAll);
    return checked("general-purpose", tools);
  }

  /** The custom tools a node lists: HTTP tools, whole MCP servers and single MCP tools. */
  List<Tool> selected(NodeDefinition node) {
    List<Tool> tools = new ArrayList<>();
    for (String name : node.tools().stream().distinct().toList()) {
      if (httpTools.containsKey(name)) tools.add(httpTools.get(name));
      else if (mcpTools.containsKey(name)) tools.addAll(mcpTools.get(name));
      else if (name.contains(".")) tools.add(mcpTool(name));
    }
    return checked(node.name(), tools);
  }

  private Tool mcpTool(String reference) {
    String server = reference.substring(0, reference.indexOf('.'));
    String tool = reference.substring(reference.indexOf('.') + 1);
    for (McpTool candidate : mcpTools.getOrDefault(server, List.of())) {
      if (candidate.name().equals(tool)) return candidate;
    }
    throw new McpServerException(
        server,
        definition.tools().get(server).mcp().url(),
        "it lists no tool '" + tool + "' (tools/list)",
        null);
  }

  /** The tools without two of the same name, nor one named like a built-in tool. */
  private List<Tool> checked(String node, List<Tool> tools) {
    Set<String> names = new HashSet<>(DefinitionParser.BUILT_IN_TOOLS);
    List<Tool> unique = new ArrayList<>();
    for (Tool tool : tools) {
      if (unique.contains(tool)) continue;
      if (!names.add(tool.name())) {
        McpTool clash =
            tool instanceof McpTool mcp
                ? mcp
                : (McpTool)
                    unique.stream()
                        .filter(t -> t instanceof McpTool && t.name().equals(tool.name()))
                        .findFirst()
                        .orElseThrow();
        String server = clash.server();
        throw new McpServerException(
            server,
            definition.tools().get(server).mcp().url(),
            "its tool '"
                + tool.name()
                + "' has the name of another tool of node "
                + node
                + "; list the tools one by one (server.tool) or narrow the allow-list",
            null);
      }
      unique.add(tool);
    }
    return unique;
  }

  @Override
  public void close() {
    for (McpSession session : sessions.values()) {
      try {
        session.close();
      } catch (RuntimeException e) {
        // closing: a server that went away meanwhile changes nothing for the job
      }
    }
  }
}
