package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake LLM over real HTTP on 127.0.0.1 that speaks enough of the OpenAI Chat Completions and
 * Anthropic Messages APIs (JSON and streamed) for the real LangChain4j clients. Each test scripts
 * its replies and asserts on the recorded requests:
 *
 * <pre>{@code
 * try (var llm = FakeLlmServer.start()) {
 *   llm.enqueue(FakeLlmReply.error(429, null).withRetryAfter("1"), FakeLlmReply.text("Hello"));
 *   llm.when(r -> r.systemPrompt().contains("researcher"), FakeLlmReply.text("found it"));
 *   // point OPENAI_BASE_URL / ANTHROPIC_BASE_URL at llm.baseUrl(), run, then:
 *   assertThat(llm.requests().get(0).toolNames()).contains("write_file");
 * }
 * }</pre>
 *
 * A reply is chosen by the first matching rule that still has replies, else from the queue, else
 * the default reply; with none of these the server answers 500, naming the request. Registered as a
 * JUnit extension ({@code @RegisterExtension}) it closes itself after each test and, when the test
 * failed, prints the requests it received.
 */
public final class FakeLlmServer implements AutoCloseable, AfterEachCallback {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<FakeLlmRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Queue<FakeLlmReply> queue = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private FakeLlmReply defaultReply;
  private volatile Duration streamStall = Duration.ZERO;

  private record Rule(Predicate<FakeLlmRequest> matcher, Queue<FakeLlmReply> replies) {}

  private FakeLlmServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static FakeLlmServer start() {
    try {
      return new FakeLlmServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL for both providers, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Replies given to requests in arrival order (after matching rules). */
  public synchronized FakeLlmServer enqueue(FakeLlmReply... replies) {
    queue.addAll(List.of(replies));
    return this;
  }

  /** The reply given whenever no rule matches and the queue is empty. */
  public synchronized FakeLlmServer defaultReply(FakeLlmReply reply) {
    defaultReply = reply;
    return this;
  }

  /**
   * Replies, in order, for requests that match; once they are used up the request falls through.
   * Lets concurrent calls (such as parallel subagents) be scripted by their content.
   */
  public synchronized FakeLlmServer when(
      Predicate<FakeLlmRequest> matcher, FakeLlmReply... replies) {
    rules.add(new Rule(matcher, new ArrayDeque<>(List.of(replies))));
    return this;
  }

  /** Every request received so far, in arrival order. */
  public List<FakeLlmRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  public FakeLlmRequest lastRequest() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) return;
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
    if (context.getExecutionException().isPresent()) {
      System.err.println("FakeLlmServer received " + requestCount() + " request(s):");
      requests.forEach(r -> System.err.println("  " + r.path() + " " + r.body()));
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      FakeLlmRequest request = record(exchange);
      FakeLlmWire wire = wireFor(request.path());
      if (wire == null) {
        send(
            exchange,
            404,
            "application/json",
            "{\"error\":\"no fake endpoint " + request.path() + "\"}");
        return;
      }
      FakeLlmReply reply = nextReply(request);
      Thread.sleep(reply.delay());
      if (reply.isError()) {
        if (reply.retryAfter() != null)
          exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
        send(
            exchange,
            reply.status(),
            "application/json",
            reply.errorBody() != null ? reply.errorBody() : wire.errorBody(reply.status()));
      } else if (request.isStreaming()) {
        boolean includeUsage =
            request.body().path("stream_options").path("include_usage").asBoolean(false);
        List<FakeLlmWire.Event> events =
            reply.streamError() != null
                ? wire.streamError(reply.streamError(), request.model())
                : wire.stream(reply, request.model(), includeUsage);
        if (reply.streamCutAfter() >= 0)
          events = events.subList(0, Math.min(reply.streamCutAfter(), events.size()));
        stream(exchange, events);
      } else {
        send(exchange, 200, "application/json", Json.write(wire.answer(reply, request.model())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private FakeLlmRequest record(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    JsonNode body;
    try {
      body = Json.parse(bytes);
    } catch (RuntimeException notJson) {
      body = new TextNode(new String(bytes, StandardCharsets.UTF_8));
    }
    Map<String, List<String>> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    var request = new FakeLlmRequest(exchange.getRequestURI().getPath(), Map.copyOf(headers), body);
    requests.add(request);
    return request;
  }

  private static FakeLlmWire wireFor(String path) {
    if (path.endsWith("/chat/completions")) return FakeLlmWire.OPENAI;
    if (path.endsWith("/messages")) return FakeLlmWire.ANTHROPIC;
    return null;
  }

  private synchronized FakeLlmReply nextReply(FakeLlmRequest request) {
    for (Rule rule : rules) {
      if (!rule.replies().isEmpty() && rule.matcher().test(request)) return rule.replies().poll();
    }
    if (!queue.isEmpty()) return queue.poll();
    if (defaultReply != null) return defaultReply;
    return FakeLlmReply.error(
        500, "FakeLlmServer: no reply scripted for request #" + requests.size());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private void stream(HttpExchange exchange, List<FakeLlmWire.Event> events)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < events.size(); i++) {
      out.write(events.get(i).frame().getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (i == 0 && !streamStall.isZero()) Thread.sleep(streamStall);
    }
  }

  /**
   * From now on, streamed answers stop for {@code stall} after their first event: headers and a
   * first chunk arrive, then nothing, as with a provider that hangs mid-answer.
   */
  public FakeLlmServer stallStreamsAfterFirstEvent(Duration stall) {
    streamStall = stall;
    return this;
  }
}
