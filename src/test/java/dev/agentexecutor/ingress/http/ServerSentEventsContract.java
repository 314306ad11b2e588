package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the event streams answer, on every event-stream backend: SSE whatever the Accept header, 204
 * to a client that already has the {@code end}, 404 for an unknown thread (WebSocket too),
 * keep-alive comments while nothing happens. Every request has a deadline: before these rules, the
 * failing cases held their connection open for ever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerSentEventsContract {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ServiceHarness service;

  /** The backend's variables; STREAM_HEARTBEAT_SECONDS=1 is added. */
  abstract Map<String, String> backend();

  @BeforeAll
  void start() {
    var env = new java.util.HashMap<>(backend());
    env.put("STREAM_HEARTBEAT_SECONDS", "1");
    service = ServiceHarness.start(env);
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private HttpResponse<String> sse(String threadId, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/stream/" + threadId + "/events"))
            .timeout(DEADLINE)
            .GET();
    if (headers.length > 0) request.headers(headers);
    // The request timeout ends with the headers: the whole body gets a deadline of its own.
    var response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      return response.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } finally {
      response.cancel(true);
    }
  }

  private static List<String> field(String body, String name) {
    return body.lines()
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1).strip())
        .toList();
  }

  private String finishedJob() {
    String jobId = TestJobs.newJobId();
    assertThat(service.postCloudEvent(TestJobs.threeStepScripted(jobId)).statusCode())
        .isEqualTo(200);
    return jobId;
  }

  @Test
  void aClientReconnectingAfterEndGets204() throws Exception {
    String jobId = finishedJob();
    HttpResponse<String> all = sse(jobId, "Accept", "text/event-stream");
    List<String> ids = field(all.body(), "id");
    List<String> data = field(all.body(), "data");
    assertThat(Json.parse(data.get(data.size() - 1)).path("event_type").asText()).isEqualTo("end");

    // What a browser's EventSource does 3 s after the server closed: reconnect with the last id.
    HttpResponse<String> again =
        sse(jobId, "Accept", "text/event-stream", "Last-Event-ID", ids.get(ids.size() - 1));

    assertThat(again.statusCode()).isEqualTo(204);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void aClientThatMissedTheEndStillGetsIt() throws Exception {
    String jobId = finishedJob();
    List<String> ids = field(sse(jobId).body(), "id");

    HttpResponse<String> resumed = sse(jobId, "Last-Event-ID", ids.get(ids.size() - 2));

    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(field(resumed.body(), "id")).containsExactly(ids.get(ids.size() - 1));
  }

  @Test
  void anUnknownThreadIs404JsonOnSseAndWebSocket() throws Exception {
    HttpResponse<String> response =
        sse("no-such-thread-" + TestJobs.newJobId(), "Accept", "text/event-stream");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(Json.parse(response.body()).path("error").asText()).isEqualTo("not_found");

    var handshake =
        http.newWebSocketBuilder()
            .connectTimeout(DEADLINE)
            .buildAsync(
                URI.create("ws://127.0.0.1:" + service.app().port() + "/stream/no-such-thread"),
                new java.net.http.WebSocket.Listener() {});
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> handshake.get(10, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                    .isEqualTo(404));
  }

  @ParameterizedTest(name = "Accept: {0}")
  @ValueSource(strings = {"*/*", "application/json", "text/html", "(none)"})
  void eventsAreServedWhateverTheAcceptHeader(String accept) throws Exception {
    String jobId = finishedJob();

    HttpResponse<String> response =
        accept.equals("(none)") ? sse(jobId) : sse(jobId, "Accept", accept);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<String> data = field(response.body(), "data");
    assertThat(data).hasSizeGreaterThan(3);
    assertThat(Json.parse(data.get(data.size() - 1)).path("event_type").asText()).isEqualTo("end");
  }

  @Test
  void aFinishedJobWhoseLogExpiredGets204AndItsWebSocketClosesAtOnce() throws Exception {
    String jobId = finishedJob();
    service.app().backends().events().delete(jobId); // what STREAM_TTL_SECONDS does after an hour

    assertThat(sse(jobId).statusCode()).isEqualTo(204);
    List<JsonNode> frames = service.webSocket("/stream/" + jobId).awaitClose(DEADLINE);
    assertThat(frames).isEmpty();
  }

  @Test
  void aQuietStreamCarriesKeepAliveComments() throws Exception {
    String threadId = "quiet-" + TestJobs.newJobId();
    service
        .app()
        .backends()
        .events()
        .publish(threadId, new AgentEvent(AgentEvent.LLM_STREAM, Json.object().put("token", "hi")));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + "/stream/" + threadId + "/events"))
            .GET()
            .build();

    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    var firstLines =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try (Stream<String> lines = response.body()) {
                return lines.takeWhile(l -> !l.startsWith(": keep-alive")).limit(50).toList();
              }
            });
    // The heartbeat is 1 s: a comment must come within a few seconds of the last event.
    assertThat(firstLines.get(5, TimeUnit.SECONDS))
        .anyMatch(l -> l.startsWith("data:") && l.contains("\"hi\""));
    service.app().backends().events().publish(threadId, AgentEvent.end());
  }

  @Test
  void aLiveJobIsFollowedToItsEnd() throws Exception {
    String jobId = TestJobs.newJobId();
    assertThat(service.post("/invoke", TestJobs.slowScripted(jobId, 3, 50).toString()).statusCode())
        .isEqualTo(200);

    HttpResponse<String> response = sse(jobId);

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> data = field(response.body(), "data");
    assertThat(Json.parse(data.get(data.size() - 1)).path("event_type").asText()).isEqualTo("end");
    assertThat(data.stream().filter(d -> d.contains("\"event_type\":\"end\""))).hasSize(1);
  }
}
