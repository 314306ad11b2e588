package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.LogCapture;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests no route serves get 404 or 405 (with Allow) as the same JSON problem body as every other
 * error, without an ERROR log or a stack trace; errors Jetty answers itself (malformed request
 * line, URI or headers too large, bad percent-encoding) are JSON too.
 */
class UnknownRoutesTest {
  private static ServiceHarness service;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    service = ServiceHarness.start();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode problemBody(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    JsonNode body = Json.parse(response.body());
    assertThat(body.path("error").isTextual()).as(response.body()).isTrue();
    assertThat(body.path("message").asText()).as(response.body()).isNotBlank();
    return body;
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET, /nope, 404, not_found, ",
    "GET, /invoke, 405, method_not_allowed, POST",
    "GET, /deepagents-runtime/invoke, 405, method_not_allowed, POST",
    "GET, /state/, 404, not_found, ",
    "FOO, /health, 405, method_not_allowed, GET",
    "FOO, /nope, 404, not_found, ",
    "DELETE, /state/some-job, 405, method_not_allowed, GET",
    "POST, /health, 405, method_not_allowed, GET",
    "PUT, /, 405, method_not_allowed, POST",
  })
  void noRouteIsAJsonProblemWithTheRightStatus(
      String method, String path, int status, String code, String allow) throws Exception {
    HttpResponse<String> response = send(method, path);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(problemBody(response).path("error").asText()).isEqualTo(code);
    if (allow != null) assertThat(response.headers().firstValue("Allow")).hasValue(allow);
  }

  @Test
  void randomPathsAre404JsonWithoutAnyErrorLogAndAreCountedUnderOneRouteLabel() throws Exception {
    Random random = new Random(9);
    String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"};
    try (LogCapture logs = LogCapture.start()) {
      for (int i = 0; i < 300; i++) {
        String path = randomPath(random);
        HttpResponse<String> response = send(methods[random.nextInt(methods.length)], path);
        assertThat(response.statusCode()).as(path).isEqualTo(404);
        assertThat(problemBody(response).path("error").asText()).isEqualTo("not_found");
      }
      assertThat(logs.atLeast(Level.ERROR)).as(logs.text()).isEmpty();
      assertThat(logs.events()).as(logs.text()).allMatch(e -> e.getThrowableProxy() == null);
    }
    String metrics = service.get("/metrics").body();
    assertThat(metrics).contains("route=\"unmatched\"").contains("status=\"404\"");
    assertThat(
            metrics
                .lines()
                .filter(
                    l ->
                        l.startsWith("agent_executor_http_requests_seconds_count")
                            && l.contains("route=\"/zz")))
        .isEmpty();
  }

  /** One to three segments of 3 to 12 unreserved characters, under a prefix no route uses. */
  private static String randomPath(Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-._~";
    StringBuilder path = new StringBuilder("/zz");
    int segments = 1 + random.nextInt(3);
    for (int s = 0; s < segments; s++) {
      path.append('/');
      int length = 3 + random.nextInt(10);
      for (int c = 0; c < length; c++)
        path.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return path.toString();
  }

  // ---- errors Jetty answers before any route runs, over a raw socket ----

  private record RawResponse(int status, String headers, String body) {
    String header(String name) {
      return headers
          .lines()
          .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst()
          .orElse("");
    }
  }

  private static RawResponse raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.app().port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String all = new String(readResponse(socket.getInputStream()), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String head = all.substring(0, split);
      String body = all.substring(split + 4);
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked"))
        body = dechunk(body);
      int status = Integer.parseInt(head.substring(9, 12));
      return new RawResponse(status, head, body);
    }
  }

  /** Reads up to the end of the body (Content-Length) or of the connection. */
  private static byte[] readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long expected = Long.MAX_VALUE;
    try {
      for (int b; out.size() < expected && (b = in.read()) >= 0; ) {
        out.write(b);
        if (expected == Long.MAX_VALUE
            && out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          String head = out.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
          int at = head.indexOf("content-length:");
          if (at >= 0)
            expected =
                out.size()
                    + Long.parseLong(head.substring(at + 15, head.indexOf("\r\n", at)).strip());
        }
      }
    } catch (java.net.SocketException e) {
      // the server may reset the connection after answering a bad request: keep what came
    }
    return out.toByteArray();
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
      if (size == 0) return body.toString();
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }

  private static void assertJsonProblem(RawResponse response, int status) {
    assertThat(response.status()).as(response.headers() + "\n" + response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type"))
        .as(response.headers())
        .startsWith("application/json");
    JsonNode body = Json.parse(response.body());
    assertThat(body.path("error").isTextual()).as(response.body()).isTrue();
    assertThat(body.path("message").asText()).isNotBlank();
  }

  @Test
  void aMalformedRequestLineIsAJson400() throws IOException {
    assertJsonProblem(raw("THIS IS NOT HTTP\r\n\r\n"), 400);
  }

  @Test
  void aUriTooLongIsAJson414() throws IOException {
    String path = "/state/" + "a".repeat(20_000);
    assertJsonProblem(
        raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 414);
  }

  @Test
  void headersTooLargeAreAJson431() throws IOException {
    String header = "X-Big: " + "b".repeat(20_000) + "\r\n";
    assertJsonProblem(
        raw("GET /health HTTP/1.1\r\nHost: localhost\r\n" + header + "Connection: close\r\n\r\n"),
        431);
  }

  @Test
  void badPercentEncodingIsAJson400() throws IOException {
    assertJsonProblem(
        raw("GET /state/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 400);
  }

  @Test
  void aWebSocketUpgradeToNoRouteIsAJson404() throws IOException {
    assertJsonProblem(
        raw(
            "GET /nope HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        404);
  }

  @Test
  void theServiceStillServesAfterMalformedRequests() throws IOException {
    raw("GARBAGE\r\n\r\n");
    raw("GET /state/%e0%80 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(service.get("/health").statusCode()).isEqualTo(200);
  }
}
