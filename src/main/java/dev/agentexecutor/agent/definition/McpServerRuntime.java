package dev.agentexecutor.agent.definition;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A remote MCP server whose tools a job uses: where it is, how to talk to it, which request headers
 * take their values from which environment variables of the service (never values from the job),
 * and which of its tools may be used (empty: all it lists).
 */
public record McpServerRuntime(
    URI url, Transport transport, Map<String, String> headersFromEnv, List<String> tools) {

  /** MCP's HTTP transports; no process is ever started for a job. */
  public enum Transport {
    STREAMABLE_HTTP("streamable_http"),
    SSE("sse");

    private final String wireName;

    Transport(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public McpServerRuntime {
    headersFromEnv = Map.copyOf(headersFromEnv);
    tools = List.copyOf(tools);
  }

  /** Whether the allow-list lets {@code tool} through. */
  public boolean allows(String tool) {
    return tools.isEmpty() || tools.contains(tool);
  }
}
