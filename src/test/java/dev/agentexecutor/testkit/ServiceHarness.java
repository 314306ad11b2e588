package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.app.Application;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the whole service in this JVM on a free port with the given environment, and talks to it
 * over real HTTP and WebSocket connections, as a client would.
 */
public final class ServiceHarness implements AutoCloseable {
  private final Application app;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceHarness(Application app) {
    this.app = app;
  }

  /** Starts the service with PORT=0 plus {@code env}; scripted provider as default. */
  public static ServiceHarness start(Map<String, String> env) {
    Map<String, String> all = new HashMap<>();
    all.put("PORT", "0");
    all.put("LLM_PROVIDER", "scripted");
    all.put("MODEL_RETRY_INITIAL_BACKOFF_MS", "10");
    all.put("MODEL_RETRY_MAX_BACKOFF_MS", "50");
    all.putAll(env);
    return new ServiceHarness(Application.start(Settings.from(all)));
  }

  public static ServiceHarness start() {
    return start(Map.of());
  }

  public Application app() {
    return app;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  public HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) request.headers(headers);
    return send(request.build());
  }

  public HttpResponse<String> postBytes(String path, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) request.headers(headers);
    return send(request.build());
  }

  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) request.headers(headers);
    return send(request.build());
  }

  public HttpResponse<String> delete(String path) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .DELETE()
            .build());
  }

  /** POSTs a structured-mode CloudEvent carrying {@code job}. */
  public HttpResponse<String> postCloudEvent(JsonNode job, String... headers) {
    return post(
        "/",
        CloudEvents.structured(job).toString(),
        concat(headers, "Content-Type", "application/cloudevents+json"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls GET /state until the job has the status, or fails after the timeout. */
  public JsonNode awaitState(String threadId, String status, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get("/state/" + threadId);
      last = response.statusCode() + " " + response.body();
      if (response.statusCode() == 200) {
        JsonNode state = Json.parse(response.body());
        if (status.equals(state.path("status").asText())) return state;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "job "
            + threadId
            + " did not reach status "
            + status
            + " in "
            + timeout
            + "; last: "
            + last);
  }

  /** Connects a WebSocket and collects its text frames until the server closes it. */
  public WebSocketRecording webSocket(String path) {
    return webSocket(path, frame -> {});
  }

  /**
   * As {@link #webSocket(String)}, also handing each complete text frame to {@code onFrame} as it
   * arrives.
   */
  public WebSocketRecording webSocket(String path, Consumer<String> onFrame) {
    WebSocketRecording recording = new WebSocketRecording(onFrame);
    http.newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + path), recording)
        .join();
    return recording;
  }

  /** Frames received by a WebSocket client, and when the server closed it. */
  public static final class WebSocketRecording implements WebSocket.Listener {
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Consumer<String> onFrame;
    private volatile WebSocket socket;

    WebSocketRecording(Consumer<String> onFrame) {
      this.onFrame = onFrame;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        onFrame.accept(frame);
        frames.add(frame);
        partial.setLength(0);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    public void sendText(String text) {
      socket.sendText(text, true).join();
    }

    /** Waits for the server to close the socket and returns every frame as parsed JSON. */
    public List<JsonNode> awaitClose(Duration timeout) throws Exception {
      closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<JsonNode> events = new ArrayList<>();
      for (String frame : frames) events.add(Json.parse(frame));
      return events;
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
