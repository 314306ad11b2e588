package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.util.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream clients that leave without a word (the socket just closes) have their follower and its
 * Redis connection released within seconds, and no more than MAX_STREAM_FOLLOWERS follow at once.
 * Connections are counted with CLIENT LIST on a private redis-server, so only this test's count.
 */
class StreamClientsLeaveTest {
  private static final int MAX_FOLLOWERS = 6;
  private RedisOrNatsServer redis;
  private RedisClient adminClient;
  private StatefulRedisConnection<String, String> admin;
  private ServiceHarness service;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    redis = RedisOrNatsServer.redis();
    adminClient = RedisClient.create(redis.redisUri());
    admin = adminClient.connect();
    service =
        ServiceHarness.start(
            Map.of(
                "REDIS_URL",
                redis.redisUri(),
                "STREAM_HEARTBEAT_SECONDS",
                "1",
                "MAX_STREAM_FOLLOWERS",
                Integer.toString(MAX_FOLLOWERS)));
  }

  @AfterEach
  void stop() {
    service.close();
    admin.close();
    adminClient.shutdown();
    redis.close();
  }

  private long connections() {
    return admin.sync().clientList().lines().filter(l -> !l.isBlank()).count();
  }

  private void awaitConnections(String what, long expected) throws Exception {
    try {
      NatsTestKit.await(
          what + " (" + expected + " Redis connections)",
          Duration.ofSeconds(10),
          () -> connections() == expected);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; CLIENT LIST:\n" + admin.sync().clientList(), e);
    }
  }

  /** A thread with one event and no end yet: its followers wait for more. */
  private String liveThread() {
    String threadId = "live-" + java.util.UUID.randomUUID();
    service
        .app()
        .backends()
        .events()
        .publish(threadId, new AgentEvent(AgentEvent.LLM_STREAM, Json.object().put("token", "x")));
    return threadId;
  }

  /** An SSE client on a raw socket, returned once its first event arrived. */
  private Socket sseClient(String threadId) throws Exception {
    Socket socket = new Socket("127.0.0.1", service.app().port());
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET /stream/"
                    + threadId
                    + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    var reader =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.startsWith("data:")) return socket;
    }
    throw new AssertionError("the SSE stream of " + threadId + " ended before its first event");
  }

  /** The status an SSE request gets; the connection is closed at once. */
  private int sseStatus(String threadId) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", service.app().port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /stream/"
                      + threadId
                      + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
              .readLine();
      return Integer.parseInt(statusLine.substring(9, 12));
    }
  }

  /** A WebSocket client, returned once its first frame arrived. */
  private WebSocket webSocketClient(String threadId) throws Exception {
    CompletableFuture<Void> firstFrame = new CompletableFuture<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + service.app().port() + "/stream/" + threadId),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    firstFrame.complete(null);
                    webSocket.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    firstFrame.get(10, TimeUnit.SECONDS);
    return socket;
  }

  @Test
  void clientsThatLeaveReleaseTheirFollowersAndRedisConnectionsWithinSeconds() throws Exception {
    String threadId = liveThread(); // also opens the service's shared connection
    long baseline = connections();
    List<Socket> sse = new ArrayList<>();
    for (int i = 0; i < 4; i++) sse.add(sseClient(threadId));
    List<WebSocket> webSockets = List.of(webSocketClient(threadId), webSocketClient(threadId));
    awaitConnections("a connection per follower", baseline + 6);

    for (Socket socket : sse) socket.close();
    for (WebSocket socket : webSockets) socket.abort();

    awaitConnections("every follower released", baseline);
    Socket again = sseClient(threadId); // the follower slots came back too
    again.close();
    awaitConnections("the new follower released", baseline);
  }

  @Test
  void followersBeyondTheLimitGet429Json() throws Exception {
    String threadId = liveThread();
    List<Socket> sse = new ArrayList<>();
    for (int i = 0; i < MAX_FOLLOWERS; i++) sse.add(sseClient(threadId));

    HttpResponse<String> refused = service.get("/stream/" + threadId + "/events");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(Json.parse(refused.body()).path("error").asText()).isEqualTo("too_many_streams");
    Throwable webSocket = catchThrowable(() -> webSocketClient(threadId));
    assertThat(webSocket).hasCauseInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) webSocket.getCause()).getResponse().statusCode())
        .isEqualTo(429);

    sse.get(0).close();
    NatsTestKit.await(
        "a slot after a client left", Duration.ofSeconds(10), () -> sseStatus(threadId) == 200);
    for (Socket socket : sse) socket.close();
  }

  @Test
  void closingARedisFollowReleasesItsConnection() throws Exception {
    String threadId = liveThread();
    long baseline = connections();
    EventStream events = service.app().backends().events();
    List<EventStream.Subscription> follows = new ArrayList<>();
    for (int i = 0; i < 3; i++) follows.add(events.follow(threadId, null, event -> {}));
    awaitConnections("three followers", baseline + 3);

    follows.forEach(EventStream.Subscription::close);

    awaitConnections("followers closed", baseline);
  }
}
