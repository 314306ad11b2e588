package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.mcp.McpConnector;
import dev.agentexecutor.agent.tools.mcp.McpServerException;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.testkit.McpEverythingServer;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deep agent whose definition names an MCP server (the real reference server from npm): the model
 * sees the server's tools, calls them through the job's session, and the session only ever reaches
 * the address the policy vetted.
 */
class McpAgentTest {
  private static McpEverythingServer server;
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();
  private final RecordingModel model = new RecordingModel(AgentTestKit.router());

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(McpEverythingServer.available(), "Node and npm are needed for the MCP server");
    server = McpEverythingServer.streamableHttp();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  /**
   * A runtime whose MCP connector resolves {@code mcp.example.test} (a name no DNS knows) to the
   * loopback address and allows that host: only a client that connects through the vetted tunnel
   * can reach the server by that name.
   */
  private AgentRuntime runtime() {
    HttpToolPolicy policy = new HttpToolPolicy(List.of("mcp.example.test"));
    McpConnector connector =
        new McpConnector(
            policy,
            host -> {
              if (!host.equals("mcp.example.test")) throw new java.net.UnknownHostException(host);
              return List.of(InetAddress.getLoopbackAddress());
            },
            Settings.AgentSettings.DEFAULTS);
    return new AgentRuntime(
        model,
        checkpoints,
        HttpToolClient.create(policy, Duration.ofSeconds(5)),
        Tracing.disabled(),
        AgentTestKit.MODELS,
        AgentTestKit.limits(),
        Settings.AgentSettings.DEFAULTS,
        connector);
  }

  private static String definition(String tools, String script) {
    return """
        {"tool_definitions": [{"name": "everything", "runtime": {"mcp": {
            "url": "http://mcp.example.test:%d/mcp", "transport": "streamable_http",
            "tools": ["echo", "get-sum", "get-tiny-image"]}}}],
         "nodes": [{"id": "lead", "type": "orchestrator", "config": {
           "name": "lead", "system_prompt": "You lead.", "tools": %s,
           "model": {"provider": "scripted", "model": "m", "script": %s}}}]}
        """
        .formatted(server.port(), tools, script);
  }

  @Test
  void theModelSeesTheServersToolsAndItsCallsGoThroughTheSession() {
    String script =
        """
        [{"tool_calls": [{"name": "echo", "id": "c1", "args": {"message": "via the tunnel"}},
                         {"name": "get-sum", "id": "c2", "args": {"a": 20, "b": 22}}]},
         {"content": "done"}]""";
    AgentState end;
    try (DeepAgent agent =
        DeepAgent.build(
            DefinitionParser.parse(Json.parse(definition("[\"everything\"]", script))),
            runtime())) {
      end = agent.run("mcp-1", input("Go"), control(), RunListener.NONE);
    }

    ModelRequest first = model.requests.get(0);
    assertThat(first.tools())
        .extracting(ToolSpec::name)
        .contains("echo", "get-sum", "get-tiny-image")
        .doesNotContain("get-env");
    List<Message> results = end.messages().stream().filter(m -> m.role() == Role.TOOL).toList();
    assertThat(results)
        .extracting(Message::content)
        .containsExactly("Echo: via the tunnel", "The sum of 20 and 22 is 42.");
  }

  @Test
  void aNodeCanTakeOneToolOfAServer() {
    try (DeepAgent agent =
        DeepAgent.build(
            DefinitionParser.parse(
                Json.parse(definition("[\"everything.echo\"]", "[{\"content\": \"ok\"}]"))),
            runtime())) {
      agent.run("mcp-2", input("Go"), control(), RunListener.NONE);
    }

    List<String> names = model.requests.get(0).tools().stream().map(ToolSpec::name).toList();
    assertThat(names).contains("echo").doesNotContain("get-sum");
  }

  @Test
  void aServerThatDoesNotAnswerFailsTheBuildNamingIt() {
    String definition =
        definition("[\"everything\"]", "[{\"content\": \"ok\"}]")
            .replace(":" + server.port() + "/", ":9/");

    assertThatThrownBy(
            () -> DeepAgent.build(DefinitionParser.parse(Json.parse(definition)), runtime()))
        .isInstanceOf(McpServerException.class)
        .hasMessageStartingWith(
            "MCP server 'everything' (http://mcp.example.test:9/mcp) cannot be used");
  }

  @Test
  void aToolTheServerDoesNotListFailsTheBuildNamingIt() {
    String definition =
        definition("[\"everything.nope\"]", "[{\"content\": \"ok\"}]")
            .replace("\"tools\": [\"echo\", \"get-sum\", \"get-tiny-image\"]", "\"tools\": []");

    assertThatThrownBy(
            () -> DeepAgent.build(DefinitionParser.parse(Json.parse(definition)), runtime()))
        .isInstanceOf(McpServerException.class)
        .hasMessageContaining("it lists no tool 'nope'");
  }
}
