package dev.agentexecutor.agent.tools;

import static dev.agentexecutor.agent.tools.ToolTestSupport.call;
import static dev.agentexecutor.agent.tools.ToolTestSupport.withFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentexecutor.agent.definition.HttpToolRuntime;
import dev.agentexecutor.agent.definition.ToolDefinition;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.net.HostResolver;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP tool against a real local server. */
class HttpToolTest {
  private static HttpServer server;
  private static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private static final java.util.concurrent.atomic.AtomicBoolean endlessCompleted =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * The local fake server is on loopback, which HTTP tools reach only when the allow-list opts in.
   */
  private static final HttpToolPolicy LOCAL = new HttpToolPolicy(List.of("127.0.0.1"));

  record Received(String method, String query, String body, Map<String, List<String>> headers) {}

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/echo", exchange -> answer(exchange, 200, "weather: sunny"));
    server.createContext("/missing", exchange -> answer(exchange, 404, "no such city"));
    server.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          answer(exchange, 200, "too late");
        });
    server.createContext(
        "/endless",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, never ends unless the client leaves
          byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
          try (var body = exchange.getResponseBody()) {
            for (long sent = 0; sent < 2L * 1024 * 1024 * 1024; sent += chunk.length)
              body.write(chunk);
            endlessCompleted.set(true);
          } catch (IOException clientLeft) {
            // expected: the tool stops reading at its limit
          }
        });
    server.createContext(
        "/trickle",
        exchange -> {
          exchange.sendResponseHeaders(
              200, 0); // headers at once, then one byte every 50 ms for a minute
          try (var body = exchange.getResponseBody()) {
            for (int i = 0; i < 1200; i++) {
              body.write('.');
              body.flush();
              Thread.sleep(50);
            }
          } catch (IOException | InterruptedException clientLeft) {
            // expected: the tool gives up at its timeout
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void clear() {
    received.clear();
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawQuery(),
            body,
            Map.copyOf(exchange.getRequestHeaders())));
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static HttpTool tool(
      String path, String method, Map<String, String> headers, Duration timeout) {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    ObjectNode schema =
        (ObjectNode)
            Json.parse(
                "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}");
    return new HttpTool(
        new ToolDefinition(
            "weather", "Gets the weather", schema, new HttpToolRuntime(url, method, headers)),
        new HttpToolClient(LOCAL, HostResolver.SYSTEM, timeout));
  }

  @Test
  void postSendsTheArgumentsAsAJsonBodyWithConfiguredHeadersAndReturnsTheResponseText()
      throws Exception {
    HttpTool weather = tool("/echo", "POST", Map.of("X-Api-Key", "k-123"), Duration.ofSeconds(5));

    ToolResult result = call(weather, "{\"city\": \"Paris\", \"days\": 2}", withFiles());

    Received request = received.take();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(Json.parse(request.body()))
        .isEqualTo(Json.parse("{\"city\": \"Paris\", \"days\": 2}"));
    assertThat(request.headers().get("X-api-key")).containsExactly("k-123");
    assertThat(request.headers().get("Content-type")).containsExactly("application/json");
    assertThat(result.output()).isEqualTo("weather: sunny");
    assertThat(result.error()).isFalse();
  }

  @Test
  void configuredHeadersReplaceTheDefaultsInsteadOfDuplicatingThem() throws Exception {
    HttpTool weather =
        tool(
            "/echo",
            "PUT",
            Map.of("Content-Type", "application/vnd.weather+json"),
            Duration.ofSeconds(5));

    call(weather, "{\"city\": \"Paris\"}", withFiles());

    Received request = received.take();
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.headers().get("Content-type"))
        .containsExactly("application/vnd.weather+json");
  }

  @Test
  void getPutsTheArgumentsInTheQueryString() throws Exception {
    HttpTool weather = tool("/echo", "GET", Map.of(), Duration.ofSeconds(5));

    ToolResult result = call(weather, "{\"city\": \"São Paulo\", \"days\": 2}", withFiles());

    Received request = received.take();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.query()).isEqualTo("city=S%C3%A3o+Paulo&days=2");
    assertThat(request.body()).isEmpty();
    assertThat(result.output()).isEqualTo("weather: sunny");
  }

  @Test
  void aNonSuccessStatusIsAToolErrorNamingTheStatusAndBody() {
    HttpTool weather = tool("/missing", "POST", Map.of(), Duration.ofSeconds(5));

    assertThatThrownBy(() -> call(weather, "{\"city\": \"Atlantis\"}", withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessage("HTTP 404 from weather: no such city");
  }

  @Test
  void aSlowServerIsAToolErrorAfterTheTimeout() {
    HttpTool weather = tool("/slow", "POST", Map.of(), Duration.ofMillis(200));
    long started = System.nanoTime();

    assertThatThrownBy(() -> call(weather, "{}", withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessage("the call to weather timed out after 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aHugeResponseIsCutAtTheLimitWithoutReadingItAll() {
    HttpTool endless = tool("/endless", "GET", Map.of(), Duration.ofSeconds(20));
    long started = System.nanoTime();

    ToolResult result = call(endless, "{}", withFiles());

    assertThat(result.error()).isFalse();
    assertThat(result.output())
        .startsWith("x".repeat(HttpToolClient.MAX_RESPONSE_CHARS))
        .endsWith("\n[truncated: the response is longer than 100000 characters]");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(endlessCompleted).isFalse();
  }

  @Test
  void theTimeoutBoundsTheWholeCallIncludingABodyThatNeverEnds() {
    HttpTool trickle = tool("/trickle", "GET", Map.of(), Duration.ofMillis(500));
    long started = System.nanoTime();

    assertThatThrownBy(() -> call(trickle, "{}", withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessage("the call to weather timed out after 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anUnreachableServerIsAToolError() throws IOException {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/x");
    HttpTool tool =
        new HttpTool(
            new ToolDefinition(
                "down", "", Json.object(), new HttpToolRuntime(url, "POST", Map.of())),
            new HttpToolClient(LOCAL, HostResolver.SYSTEM, Duration.ofSeconds(2)));

    assertThatThrownBy(() -> call(tool, "{}", withFiles()))
        .isInstanceOf(ToolException.class)
        .hasMessageStartingWith("the call to down failed: ");
  }

  @Test
  void exposesTheDefinitionsNameDescriptionAndSchemaToTheModel() {
    HttpTool weather = tool("/echo", "POST", Map.of(), Duration.ofSeconds(5));

    assertThat(weather.spec().name()).isEqualTo("weather");
    assertThat(weather.spec().description()).isEqualTo("Gets the weather");
    assertThat(weather.spec().parameters().path("properties").has("city")).isTrue();
  }
}
