package dev.agentexecutor.agent.tools.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentexecutor.agent.definition.McpServerRuntime;
import dev.agentexecutor.agent.definition.McpServerRuntime.Transport;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.testkit.McpEverythingServer;
import dev.agentexecutor.util.Json;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MCP tools against the real reference server ({@code @modelcontextprotocol/server-everything} from
 * npm), over Streamable HTTP and over SSE, through the vetted tunnel and the address policy.
 */
class McpToolsTest {
  private static McpEverythingServer streamable;
  private static McpEverythingServer sse;
  private static final HttpToolPolicy LOOPBACK_ALLOWED = new HttpToolPolicy(List.of("127.0.0.1"));
  private static final Settings.AgentSettings SETTINGS =
      new Settings.AgentSettings(
          2,
          80_000,
          Duration.ofSeconds(20),
          List.of("MCP_TEST_TOKEN"),
          Map.of("MCP_TEST_TOKEN", "t0k3n"));

  @BeforeAll
  static void startServers() throws IOException {
    assumeTrue(McpEverythingServer.available(), "Node and npm are needed for the MCP server");
    streamable = McpEverythingServer.streamableHttp();
    sse = McpEverythingServer.sse();
  }

  @AfterAll
  static void stopServers() {
    if (streamable != null) streamable.close();
    if (sse != null) sse.close();
  }

  private static McpServerRuntime server(Transport transport, List<String> allow) {
    String url = transport == Transport.SSE ? sse.url() : streamable.url();
    return new McpServerRuntime(URI.create(url), transport, Map.of(), allow);
  }

  private static McpSession open(Transport transport, List<String> allow) {
    return new McpConnector(LOOPBACK_ALLOWED, SETTINGS)
        .open("everything", server(transport, allow));
  }

  private static ToolResult call(McpSession session, String tool, String argsJson) {
    McpSchema.Tool listed =
        session.tools().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow();
    return new McpTool(session, listed)
        .call(
            (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(argsJson),
            AgentState.initial(List.of(), Map.of(), Map.of()),
            new ToolCallContext("call_1", "lead", Instant.now()));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void listsTheServersToolsWithTheirSchemas(Transport transport) {
    try (McpSession session = open(transport, List.of())) {
      List<McpSchema.Tool> tools = session.tools();

      assertThat(tools).extracting(McpSchema.Tool::name).contains("echo", "get-sum");
      McpTool echo =
          new McpTool(
              session,
              tools.stream().filter(t -> t.name().equals("echo")).findFirst().orElseThrow());
      assertThat(echo.spec().description()).isEqualTo("Echoes back the input string");
      assertThat(echo.spec().parameters().path("properties").has("message")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void callsAToolAndReturnsItsText(Transport transport) {
    try (McpSession session = open(transport, List.of())) {
      ToolResult echoed = call(session, "echo", "{\"message\": \"hello over " + transport + "\"}");
      ToolResult sum = call(session, "get-sum", "{\"a\": 2, \"b\": 40}");

      assertThat(echoed.error()).isFalse();
      assertThat(echoed.output()).isEqualTo("Echo: hello over " + transport);
      assertThat(sum.output()).contains("is 42");
    }
  }

  @Test
  void structuredImageResourceAndErrorResultsBecomeText() {
    try (McpSession session = open(Transport.STREAMABLE_HTTP, List.of())) {
      ToolResult structured =
          call(session, "get-structured-content", "{\"location\": \"Chicago\"}");
      ToolResult image = call(session, "get-tiny-image", "{}");
      ToolResult links = call(session, "get-resource-links", "{\"count\": 2}");
      ToolResult invalid = call(session, "get-sum", "{\"a\": \"two\", \"b\": 3}");

      assertThat(Json.parse(structured.output()).path("temperature").isNumber()).isTrue();
      assertThat(image.output()).contains("[image: image/png,").contains("bytes, not shown]");
      assertThat(links.output()).contains("[resource link: ");
      assertThat(invalid.error()).isTrue();
      assertThat(invalid.output()).startsWith("Error: get-sum failed: ");
    }
  }

  @Test
  void theAllowListLeavesOtherToolsOut() {
    try (McpSession session = open(Transport.STREAMABLE_HTTP, List.of("echo", "get-sum"))) {
      assertThat(session.tools())
          .extracting(McpSchema.Tool::name)
          .containsExactly("echo", "get-sum");
    }
  }

  @Test
  void aLoopbackServerIsRefusedUnlessHttpToolAllowedHostsListsIt() {
    McpConnector connector = new McpConnector(HttpToolPolicy.DEFAULT, SETTINGS);

    assertThatThrownBy(
            () -> connector.open("everything", server(Transport.STREAMABLE_HTTP, List.of())))
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("MCP server 'everything'")
        .hasMessageContaining("loopback");
  }

  @Test
  void anUnreachableServerFailsNamingIt() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    McpServerRuntime gone =
        new McpServerRuntime(
            URI.create("http://127.0.0.1:" + closedPort + "/mcp"),
            Transport.STREAMABLE_HTTP,
            Map.of(),
            List.of());

    assertThatThrownBy(() -> new McpConnector(LOOPBACK_ALLOWED, SETTINGS).open("search", gone))
        .isInstanceOf(McpServerException.class)
        .hasMessageStartingWith(
            "MCP server 'search' (http://127.0.0.1:" + closedPort + "/mcp) cannot be used");
  }

  @Test
  void aHeaderVariableTheServiceDoesNotAllowIsRefusedWithoutItsValue() {
    McpServerRuntime withHeader =
        new McpServerRuntime(
            URI.create(streamable.url()),
            Transport.STREAMABLE_HTTP,
            Map.of("Authorization", "DATABASE_URL"),
            List.of());

    assertThatThrownBy(
            () -> new McpConnector(LOOPBACK_ALLOWED, SETTINGS).open("everything", withHeader))
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining(
            "DATABASE_URL, which is not set or not allowed (MCP_HEADER_ENV_ALLOWED)");
  }
}
