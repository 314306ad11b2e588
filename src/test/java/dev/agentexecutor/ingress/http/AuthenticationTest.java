package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.LogCapture;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API tokens over real HTTP: every client route needs one (401 otherwise), /health, /ready and
 * /metrics stay open, and a job is visible only to the tenant of the token that created it: another
 * tenant gets exactly the answer of a job that does not exist, on every route.
 */
class AuthenticationTest {
  private static final String ACME = "acme-token-0123456789abcdef";
  private static final String GLOBEX = "globex-token-0123456789abcdef";
  private static final String PLAIN = "default-token-0123456789abcdef";
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ServiceHarness service;
  private static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    service =
        ServiceHarness.start(Map.of("API_TOKENS", ACME + "=acme, " + GLOBEX + "=globex," + PLAIN));
  }

  @AfterAll
  static void stop() {
    service.close();
    String logged = logs.text();
    logs.close();
    assertThat(logged).doesNotContain(ACME).doesNotContain(GLOBEX).doesNotContain(PLAIN);
  }

  private static String[] bearer(String token, String... more) {
    String[] headers = new String[more.length + 2];
    headers[0] = "Authorization";
    headers[1] = "Bearer " + token;
    System.arraycopy(more, 0, headers, 2, more.length);
    return headers;
  }

  private static HttpResponse<String> send(
      String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) request.headers(headers);
    var response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      return response.get(30, TimeUnit.SECONDS); // a stream that never ends must fail, not hang
    } finally {
      response.cancel(true);
    }
  }

  private static String completedJob(String token) throws Exception {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> response =
        send(
            "POST",
            "/",
            CloudEvents.structured(TestJobs.threeStepScripted(jobId)).toString(),
            bearer(token, "Content-Type", "application/cloudevents+json"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return jobId;
  }

  private static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(Json.parse(response.body()).path("error").asText()).isEqualTo("unauthorized");
  }

  @Test
  void everyClientRouteWithoutATokenIs401() throws Exception {
    String body = TestJobs.threeStepScripted(TestJobs.newJobId()).toString();
    assertUnauthorized(
        send(
            "POST",
            "/",
            CloudEvents.structured(Json.parse(body)).toString(),
            "Content-Type",
            "application/cloudevents+json"));
    assertUnauthorized(send("POST", "/invoke", body));
    assertUnauthorized(send("POST", "/deepagents-runtime/invoke", body));
    assertUnauthorized(send("GET", "/state/x", null));
    assertUnauthorized(send("POST", "/cancel/x", null));
    assertUnauthorized(send("DELETE", "/cleanup/x", null));
    assertUnauthorized(send("GET", "/stream/x/events", null));
    assertUnauthorized(send("GET", "/jobs", null));
    assertUnauthorized(send("GET", "/deepagents-runtime/jobs?status=running", null));
    assertUnauthorized(
        send("GET", "/no-such-route", null)); // the route table is not revealed either
    assertThat(((MemoryResultPublisher) service.app().backends().results()).published())
        .extracting(e -> e.getSubject())
        .doesNotContain(Json.parse(body).path("job_id").asText());
  }

  @Test
  void aWrongTokenOrAnotherSchemeIs401() throws Exception {
    HttpResponse<String> wrong =
        send("GET", "/state/x", null, bearer("not-a-token-of-ours-at-all"));
    assertUnauthorized(wrong);
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    assertUnauthorized(send("GET", "/state/x", null, "Authorization", "Basic " + ACME));
    assertUnauthorized(send("GET", "/state/x", null, bearer(ACME.substring(0, ACME.length() - 1))));
    assertUnauthorized(send("GET", "/state/x", null, bearer(ACME + "x")));
  }

  @Test
  void healthReadyAndMetricsNeedNoToken() throws Exception {
    assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/ready", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theRunViewerPageLoadsWithoutATokenButItsDataNeedsOne() throws Exception {
    assertThat(send("GET", "/ui/", null).statusCode()).isEqualTo(200);
    assertUnauthorized(send("GET", "/examples", null));
    assertUnauthorized(send("POST", "/definitions/validate", "{}"));
    assertThat(send("GET", "/examples", null, bearer(ACME)).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherTenantsJobIsNotFoundOnEveryRouteExactlyLikeAnUnknownOne() throws Exception {
    String jobId = completedJob(ACME);
    String unknown = TestJobs.newJobId();

    for (String route :
        List.of("/state/", "/deepagents-runtime/state/", "/stream/", "/cancel/", "/cleanup/")) {
      String method =
          route.equals("/cancel/") ? "POST" : route.equals("/cleanup/") ? "DELETE" : "GET";
      String suffix = route.equals("/stream/") ? "/events" : "";
      HttpResponse<String> foreign = send(method, route + jobId + suffix, null, bearer(GLOBEX));
      HttpResponse<String> missing = send(method, route + unknown + suffix, null, bearer(GLOBEX));
      assertThat(foreign.statusCode()).as(method + " " + route).isEqualTo(404);
      assertThat(foreign.body().replace(jobId, "ID"))
          .as(method + " " + route)
          .isEqualTo(missing.body().replace(unknown, "ID"));
    }
    assertThat(webSocketStatus("/stream/" + jobId + "?access_token=" + GLOBEX)).isEqualTo(404);
    assertThat(send("GET", "/state/" + jobId, null, bearer(PLAIN)).statusCode())
        .as("the default tenant is a tenant too")
        .isEqualTo(404);

    HttpResponse<String> state = send("GET", "/state/" + jobId, null, bearer(ACME));
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(Json.parse(state.body()).path("status").asText()).isEqualTo("completed");
    assertThat(Json.parse(state.body()).path("generated_files").has("/answer.md")).isTrue();
  }

  @Test
  void theOwnerStreamsWithTheTokenInTheQueryAndOtherRoutesIgnoreIt() throws Exception {
    String jobId = completedJob(ACME);

    HttpResponse<String> sse =
        send("GET", "/stream/" + jobId + "/events?access_token=" + ACME, null);
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(sse.body()).contains("\"event_type\":\"end\"");
    List<JsonNode> frames =
        service
            .webSocket("/deepagents-runtime/stream/" + jobId + "?access_token=" + ACME)
            .awaitClose(Duration.ofSeconds(10));
    assertThat(frames.get(frames.size() - 1).path("event_type").asText()).isEqualTo("end");

    assertUnauthorized(send("GET", "/state/" + jobId + "?access_token=" + ACME, null));
    assertThat(webSocketStatus("/stream/" + jobId)).isEqualTo(401);
    assertThat(webSocketStatus("/stream/" + jobId + "?access_token=wrong-token-0123456789"))
        .isEqualTo(401);
  }

  @Test
  void reusingAnotherTenantsJobIdIsRefusedAndRunsNothing() throws Exception {
    String jobId = completedJob(ACME);
    String job = TestJobs.threeStepScripted(jobId).toString();
    int published = ((MemoryResultPublisher) service.app().backends().results()).published().size();

    HttpResponse<String> posted =
        send(
            "POST",
            "/",
            CloudEvents.structured(Json.parse(job)).toString(),
            bearer(GLOBEX, "Content-Type", "application/cloudevents+json"));
    HttpResponse<String> invoked = send("POST", "/invoke", job, bearer(GLOBEX));

    for (HttpResponse<String> response : List.of(posted, invoked)) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
      assertThat(Json.parse(response.body()).path("error").asText())
          .isEqualTo("job_id_unavailable");
      assertThat(response.body()).doesNotContain("completed").doesNotContain("acme");
    }
    assertThat(((MemoryResultPublisher) service.app().backends().results()).published())
        .hasSize(published);
    // A tenant attribute in an HTTP request is not trusted: the token decides.
    var spoofed = CloudEvents.structured(Json.parse(job)).put("tenant", "acme");
    assertThat(
            send(
                    "POST",
                    "/",
                    spoofed.toString(),
                    bearer(GLOBEX, "Content-Type", "application/cloudevents+json"))
                .statusCode())
        .isEqualTo(409);
    // The owner resubmitting its own job gets its stored result, as before.
    HttpResponse<String> again =
        send(
            "POST",
            "/",
            CloudEvents.structured(Json.parse(job)).toString(),
            bearer(ACME, "Content-Type", "application/cloudevents+json"));
    assertThat(Json.parse(again.body()).path("type").asText())
        .isEqualTo("dev.my-platform.agent.completed");
  }

  @Test
  void aRunningJobCanBeCancelledAndSeenOnlyByItsOwner() throws Exception {
    String jobId = TestJobs.newJobId();
    assertThat(
            send("POST", "/invoke", TestJobs.slowScripted(jobId, 50, 100).toString(), bearer(ACME))
                .statusCode())
        .isEqualTo(200);

    assertThat(send("GET", "/state/" + jobId, null, bearer(GLOBEX)).statusCode()).isEqualTo(404);
    assertThat(send("POST", "/cancel/" + jobId, null, bearer(GLOBEX)).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/cleanup/" + jobId, null, bearer(GLOBEX)).statusCode())
        .isEqualTo(404);
    assertThat(
            send("POST", "/invoke", TestJobs.slowScripted(jobId, 1, 1).toString(), bearer(GLOBEX))
                .statusCode())
        .isEqualTo(409);
    assertThat(
            Json.parse(send("GET", "/state/" + jobId, null, bearer(ACME)).body())
                .path("status")
                .asText())
        .isEqualTo("running");

    assertThat(send("POST", "/cancel/" + jobId, null, bearer(ACME)).statusCode()).isEqualTo(202);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String status = "";
    while (!status.equals("cancelled") && System.nanoTime() < deadline) {
      status =
          Json.parse(send("GET", "/state/" + jobId, null, bearer(ACME)).body())
              .path("status")
              .asText();
      Thread.sleep(50);
    }
    assertThat(status).isEqualTo("cancelled");
    assertThat(send("DELETE", "/cleanup/" + jobId, null, bearer(ACME)).statusCode()).isEqualTo(204);
  }

  @Test
  void noTokensMeansOpenWithALoudWarningAndTokensMeanNoWarning() {
    try (LogCapture startup = LogCapture.start();
        ServiceHarness open = ServiceHarness.start()) {
      assertThat(open.get("/state/nothing").statusCode()).isEqualTo(404);
      assertThat(startup.atLeast(Level.WARN))
          .anyMatch(e -> e.getFormattedMessage().contains("API_TOKENS is not set"));
    }
    try (LogCapture startup = LogCapture.start();
        ServiceHarness secured = ServiceHarness.start(Map.of("API_TOKENS", ACME))) {
      assertThat(secured.get("/state/nothing").statusCode()).isEqualTo(401);
      assertThat(startup.events())
          .noneMatch(e -> e.getFormattedMessage().contains("API_TOKENS is not set"));
    }
  }

  /** The status of a WebSocket handshake: 101 when it upgraded. */
  private static int webSocketStatus(String path) {
    Throwable failure =
        catchThrowable(
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(
                        URI.create("ws://127.0.0.1:" + service.app().port() + path),
                        new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS)
                    .abort());
    if (failure == null) return 101;
    assertThat(failure).hasCauseInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
  }
}
