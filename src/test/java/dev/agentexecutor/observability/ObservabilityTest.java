package dev.agentexecutor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.ServiceProcess;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** JSON logs with trace and job ids and no secrets; spans exported over OTLP when configured. */
class ObservabilityTest {
  private static final String TRACEPARENT =
      "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void logsAreOneJsonObjectPerLineWithTraceAndJobIdsAndNoApiKey() throws Exception {
    String secret = "sk-log-secret-0123456789abcdef";
    try (FakeLlmServer llm = FakeLlmServer.start();
        ServiceProcess service =
            ServiceProcess.start(
                Map.of(
                    "LOG_FORMAT",
                    "json",
                    "LLM_PROVIDER",
                    "openai",
                    "OPENAI_BASE_URL",
                    llm.baseUrl(),
                    "OPENAI_API_KEY",
                    secret,
                    "MODEL_MAX_RETRIES",
                    "0"))) {
      llm.defaultReply(FakeLlmReply.error(401, "{\"error\":\"invalid key " + secret + "\"}"));
      service.awaitReady(Duration.ofSeconds(30));
      String jobId = TestJobs.newJobId();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/"))
                      .header("Content-Type", "application/json")
                      .header("ce-specversion", "1.0")
                      .header("ce-id", "1")
                      .header("ce-source", "/t")
                      .header("ce-type", "dev.my-platform.agent.execute")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              TestJobs.job(
                                      jobId,
                                      TestJobs.orchestrator("openai", "gpt-4o-mini", null),
                                      "hi")
                                  .toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).contains("dev.my-platform.agent.failed").doesNotContain(secret);
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();

      List<String> lines = service.log().lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(line -> assertThat(Json.parse(line).isObject()).as(line).isTrue());
      List<JsonNode> jobLines =
          lines.stream()
              .map(Json::parse)
              .filter(l -> jobId.equals(l.path("job_id").asText()))
              .toList();
      assertThat(jobLines)
          .isNotEmpty()
          .allSatisfy(
              l -> {
                assertThat(l.path("trace_id").asText()).isEqualTo("trace-" + jobId);
                assertThat(l.path("timestamp").asText()).isNotBlank();
                assertThat(l.path("level").asText()).isNotBlank();
                assertThat(l.path("message").asText()).isNotBlank();
              });
      assertThat(service.log()).doesNotContain(secret);
    }
  }

  /** DATABASE_URL and NATS_URL with credentials were logged verbatim at start-up. */
  @Test
  void credentialsInBackendUrlsNeverReachTheLogInEitherFormat() throws Exception {
    String dbPassword = "PwInDbUrl-7f3k";
    String natsPassword = "PwInNatsUrl-9q2z";
    for (String format : List.of("json", "text")) {
      try (ServiceProcess service =
          ServiceProcess.start(
              Map.of(
                  "LOG_FORMAT",
                  format,
                  "DATABASE_URL",
                  "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=" + dbPassword,
                  "POSTGRES_SCHEMA",
                  "log_redaction_test",
                  "NATS_URL",
                  "nats://natsuser:" + natsPassword + "@127.0.0.1:4222",
                  "NATS_STREAM_NAME",
                  "LOG_REDACTION_TEST",
                  "NATS_SUBJECT",
                  "logredaction.execute.*",
                  "NATS_RESULT_STREAM_NAME",
                  "LOG_REDACTION_TEST_RESULTS",
                  "NATS_RESULT_SUBJECT_PREFIX",
                  "logredaction.status"))) {
        service.awaitReady(Duration.ofSeconds(30));
        assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
        assertThat(service.log())
            .as(format + " log")
            .contains("PostgreSQL", "NATS JetStream", "***")
            .doesNotContain(dbPassword, natsPassword, "natsuser:");
      }
    }
  }

  @Test
  void spansOfTheJobModelCallsAndToolCallsAreExportedOverOtlpContinuingTheIncomingTrace()
      throws Exception {
    List<byte[]> exports = new CopyOnWriteArrayList<>();
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          exports.add(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try {
      JsonNode event;
      try (ServiceHarness service =
          ServiceHarness.start(
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  "http://127.0.0.1:" + collector.getAddress().getPort()))) {
        event =
            Json.parse(
                service
                    .postCloudEvent(
                        TestJobs.threeStepScripted(TestJobs.newJobId()), "traceparent", TRACEPARENT)
                    .body());
      } // closing flushes the exporter

      NatsTestKit.await("spans exported", Duration.ofSeconds(10), () -> !exports.isEmpty());
      String payload =
          new String(
              exports.stream().reduce(new byte[0], ObservabilityTest::concat),
              StandardCharsets.ISO_8859_1);
      assertThat(payload).contains("agent.job", "llm.call", "tool.call", "write_file");
      String traceparent = event.path("traceparent").asText();
      assertThat(traceparent).startsWith("00-5bf92f3577b34da6a3ce929d0e0e4736-");
      String spanId = traceparent.split("-")[2];
      assertThat(spanId).isNotEqualTo("00f067aa0ba902b7");
      assertThat(payload)
          .contains(
              new String(java.util.HexFormat.of().parseHex(spanId), StandardCharsets.ISO_8859_1));
    } finally {
      collector.stop(0);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
