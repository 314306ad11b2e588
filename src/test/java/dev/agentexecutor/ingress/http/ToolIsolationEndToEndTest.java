package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tool calls that burn CPU (issue 9.2): a search that takes seconds must not stall the HTTP server
 * or other jobs, and cancel, the run timeout and the tool call timeout must stop it while it runs.
 * The pattern is catastrophic for a backtracking engine and merely slow (linear) for RE2/J over a
 * large file, so the searches here take seconds with the fix and for ever without it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ToolIsolationEndToEndTest {
  private static final String SLOW_PATTERN = "(.*){20}x|[ab]{1000}c";

  /**
   * A job that seeds {@code files} files of {@code chars} characters, greps them all, then answers.
   */
  private static ObjectNode grepJob(String jobId, int files, int chars) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    script
        .addObject()
        .putArray("tool_calls")
        .addObject()
        .put("name", "grep")
        .putObject("args")
        .put("pattern", SLOW_PATTERN)
        .put("output_mode", "count");
    script.addObject().put("content", "searched");
    ObjectNode job =
        TestJobs.job(jobId, TestJobs.orchestrator("scripted", "scripted", script), "Search.");
    ObjectNode seed = ((ObjectNode) job.get("input_payload")).putObject("files");
    for (int i = 0; i < files; i++) seed.put("/big-" + i + ".txt", "ab".repeat(chars / 2));
    return job;
  }

  /** Waits until the job's first tool call has started. */
  private static void awaitToolStart(ServiceHarness service, String jobId)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    try (EventStream.Subscription ignored =
        service
            .app()
            .backends()
            .events()
            .follow(
                jobId,
                null,
                e -> {
                  if (e.event().eventType().equals(AgentEvent.TOOL_START)) started.countDown();
                })) {
      assertThat(started.await(20, TimeUnit.SECONDS)).as("the grep started").isTrue();
    }
  }

  private static List<JsonNode> toolEnds(ServiceHarness service, String jobId) throws Exception {
    List<JsonNode> ends = new ArrayList<>();
    for (JsonNode event :
        service.webSocket("/stream/" + jobId).awaitClose(Duration.ofSeconds(20))) {
      if (event.path("event_type").asText().equals(AgentEvent.TOOL_END))
        ends.add(event.path("data"));
    }
    return ends;
  }

  @Test
  void healthAnswersPromptlyWhileTwoJobsSearchForSeconds() throws Exception {
    try (ServiceHarness service = ServiceHarness.start(Map.of("MAX_PAYLOAD_BYTES", "4194304"))) {
      String first = TestJobs.newJobId();
      String second = TestJobs.newJobId();
      assertThat(service.post("/invoke", grepJob(first, 1, 300_000).toString()).statusCode())
          .isEqualTo(200);
      assertThat(service.post("/invoke", grepJob(second, 1, 300_000).toString()).statusCode())
          .isEqualTo(200);
      awaitToolStart(service, first);
      awaitToolStart(service, second);

      long slowest = 0;
      for (int i = 0; i < 5; i++) {
        long started = System.nanoTime();
        HttpResponse<String> health = service.get("/health");
        slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
        assertThat(health.statusCode()).isEqualTo(200);
        Thread.sleep(50);
      }

      assertThat(service.app().runner().runningCount())
          .as("both searches were still running while /health answered")
          .isEqualTo(2);
      assertThat(slowest).as("slowest /health, ms").isLessThan(1000);
      assertThat(
              service
                  .awaitState(first, "completed", Duration.ofSeconds(60))
                  .path("result")
                  .path("output")
                  .asText())
          .isEqualTo("searched");
      service.awaitState(second, "completed", Duration.ofSeconds(60));
    }
  }

  @Test
  void cancelStopsASearchInProgress() throws Exception {
    try (ServiceHarness service = ServiceHarness.start(Map.of("MAX_PAYLOAD_BYTES", "8388608"))) {
      String jobId = TestJobs.newJobId();
      assertThat(service.post("/invoke", grepJob(jobId, 4, 1_000_000).toString()).statusCode())
          .isEqualTo(200);
      awaitToolStart(service, jobId);
      Thread.sleep(200);

      long asked = System.nanoTime();
      assertThat(service.post("/cancel/" + jobId, "").statusCode()).isEqualTo(202);
      JsonNode state = service.awaitState(jobId, "cancelled", Duration.ofSeconds(10));

      assertThat((System.nanoTime() - asked) / 1_000_000)
          .as("ms from /cancel to cancelled")
          .isLessThan(3000);
      assertThat(state.path("error").path("type").asText()).isEqualTo("Cancelled");
    }
  }

  @Test
  void theRunTimeoutStopsASearchInProgress() throws Exception {
    try (ServiceHarness service =
        ServiceHarness.start(Map.of("MAX_PAYLOAD_BYTES", "8388608", "RUN_TIMEOUT_SECONDS", "2"))) {
      String jobId = TestJobs.newJobId();
      long started = System.nanoTime();
      assertThat(service.post("/invoke", grepJob(jobId, 4, 1_000_000).toString()).statusCode())
          .isEqualTo(200);

      JsonNode state = service.awaitState(jobId, "failed", Duration.ofSeconds(15));

      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("ms from start to failed")
          .isLessThan(6000);
      assertThat(state.path("error").path("type").asText()).isEqualTo("RunTimeout");
    }
  }

  @Test
  void aSearchOverTheToolCallTimeoutIsAToolErrorTheModelSees() throws Exception {
    try (ServiceHarness service =
        ServiceHarness.start(
            Map.of("MAX_PAYLOAD_BYTES", "8388608", "TOOL_CALL_TIMEOUT_SECONDS", "1"))) {
      String jobId = TestJobs.newJobId();
      long started = System.nanoTime();
      assertThat(service.post("/invoke", grepJob(jobId, 4, 1_000_000).toString()).statusCode())
          .isEqualTo(200);

      JsonNode state = service.awaitState(jobId, "completed", Duration.ofSeconds(15));

      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("ms from start to completed")
          .isLessThan(6000);
      assertThat(state.path("result").path("output").asText()).isEqualTo("searched");
      JsonNode grep = toolEnds(service, jobId).get(0);
      assertThat(grep.path("status").asText()).isEqualTo("error");
      assertThat(grep.path("output").asText())
          .contains("did not finish within 1 s (TOOL_CALL_TIMEOUT_SECONDS)");
    }
  }

  @Test
  void aCatastrophicRegexOnASmallFileFinishesAtOnce() throws Exception {
    try (ServiceHarness service = ServiceHarness.start()) {
      ArrayNode script = Json.MAPPER.createArrayNode();
      script
          .addObject()
          .putArray("tool_calls")
          .addObject()
          .put("name", "grep")
          .putObject("args")
          .put("pattern", "(.*){30}x")
          .put("output_mode", "content");
      script.addObject().put("content", "searched");
      String jobId = TestJobs.newJobId();
      ObjectNode job =
          TestJobs.job(jobId, TestJobs.orchestrator("scripted", "scripted", script), "Search.");
      ((ObjectNode) job.get("input_payload")).putObject("files").put("/small.txt", "a".repeat(40));

      HttpResponse<String> response = service.postCloudEvent(job);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Json.parse(response.body()).path("data").path("result").path("output").asText())
          .isEqualTo("searched");
      assertThat(toolEnds(service, jobId).get(0).path("output").asText())
          .isEqualTo("No matches found");
    }
  }
}
