package dev.agentexecutor.agent.tools.mcp;

import dev.agentexecutor.agent.definition.McpServerRuntime;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.agent.tools.net.HostResolver;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.util.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens sessions with remote MCP servers for a job, through the official MCP Java SDK: the address
 * policy of HTTP tools (HTTP_TOOL_ALLOWED_HOSTS) decides where they may go, each session's HTTP
 * client reaches only the vetted addresses ({@link VettedTunnel}), header values come only from the
 * environment variables the service allows (MCP_HEADER_ENV_ALLOWED), and every request is bounded
 * by MCP_TIMEOUT_SECONDS.
 */
public final class McpConnector {
  /** The longest response read from an MCP server, in bytes. */
  static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(Json.MAPPER);
  private static final McpSchema.Implementation CLIENT =
      new McpSchema.Implementation("agent-executor", "1");

  private final HttpToolPolicy policy;
  private final HostResolver resolver;
  private final Settings.AgentSettings settings;

  public McpConnector(HttpToolPolicy policy, Settings.AgentSettings settings) {
    this(policy, HostResolver.SYSTEM, settings);
  }

  public McpConnector(
      HttpToolPolicy policy, HostResolver resolver, Settings.AgentSettings settings) {
    this.policy = policy;
    this.resolver = resolver;
    this.settings = settings;
  }

  public Duration timeout() {
    return settings.mcpTimeout();
  }

  /**
   * A session with server {@code name}, initialised; throws {@link McpServerException} naming the
   * server when it cannot be reached, is refused by the address policy or its headers are not
   * allowed.
   */
  public McpSession open(String name, McpServerRuntime server) {
    Map<String, String> headers = headers(name, server);
    VettedTunnel tunnel;
    try {
      tunnel = VettedTunnel.open(server.url(), policy, resolver, settings.mcpTimeout());
    } catch (ToolException e) {
      throw new McpServerException(name, server.url(), e.getMessage(), e);
    } catch (IOException e) {
      throw new McpServerException(name, server.url(), "its host cannot be resolved", e);
    }
    McpSyncClient client = null;
    try {
      client =
          McpClient.sync(transport(server, tunnel, headers))
              .clientInfo(CLIENT)
              .requestTimeout(settings.mcpTimeout())
              .initializationTimeout(settings.mcpTimeout())
              .build();
      client.initialize();
      return new McpSession(name, server, client, tunnel, settings.mcpTimeout());
    } catch (RuntimeException e) {
      if (client != null) client.close();
      tunnel.close();
      throw new McpServerException(name, server.url(), McpSession.describe(e), e);
    }
  }

  private McpClientTransport transport(
      McpServerRuntime server, VettedTunnel tunnel, Map<String, String> headers) {
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(tunnel.proxySelector())
            .connectTimeout(settings.mcpTimeout());
    URI url = server.url();
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String endpoint =
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) endpoint += "?" + url.getRawQuery();
    return switch (server.transport()) {
      case STREAMABLE_HTTP ->
          HttpClientStreamableHttpTransport.builder(base)
              .endpoint(endpoint)
              .clientBuilder(http)
              .jsonMapper(MAPPER)
              .connectTimeout(settings.mcpTimeout())
              .maxResponseSize(MAX_RESPONSE_BYTES)
              .httpRequestCustomizer(
                  (request, method, uri, body, context) -> headers.forEach(request::header))
              .build();
      case SSE ->
          HttpClientSseClientTransport.builder(base)
              .sseEndpoint(endpoint)
              .clientBuilder(http)
              .jsonMapper(MAPPER)
              .connectTimeout(settings.mcpTimeout())
              .maxResponseSize(MAX_RESPONSE_BYTES)
              .httpRequestCustomizer(
                  (request, method, uri, body, context) -> headers.forEach(request::header))
              .build();
    };
  }

  /**
   * The request headers: each value read from the environment variable the definition names, which
   * must be one the service allows and set. The value is never part of an error message.
   */
  private Map<String, String> headers(String name, McpServerRuntime server) {
    Map<String, String> headers = new LinkedHashMap<>();
    server
        .headersFromEnv()
        .forEach(
            (header, variable) -> {
              String value = settings.mcpHeaderValues().get(variable);
              if (value == null) {
                throw new McpServerException(
                    name,
                    server.url(),
                    "header "
                        + header
                        + " names environment variable "
                        + variable
                        + ", which is not set or not allowed (MCP_HEADER_ENV_ALLOWED)",
                    null);
              }
              headers.put(header, value);
            });
    return headers;
  }
}
