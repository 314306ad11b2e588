package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job's state stays within its limits and its events stay proportional to it (issue 9.5), through
 * the HTTP API.
 */
class StateLimitsEndToEndTest {
  private static ObjectNode call(ArrayNode script, String tool) {
    return script
        .addObject()
        .putArray("tool_calls")
        .addObject()
        .put("name", tool)
        .putObject("args");
  }

  private static List<JsonNode> events(ServiceHarness service, String jobId, String type)
      throws Exception {
    return service.webSocket("/stream/" + jobId).awaitClose(Duration.ofSeconds(20)).stream()
        .filter(e -> e.path("event_type").asText().equals(type))
        .map(e -> e.path("data"))
        .toList();
  }

  @Test
  void writeThenFiveReplaceAllEditsLeaveAJobThatCompletesAndCanBeRead() throws Exception {
    ArrayNode script = Json.MAPPER.createArrayNode();
    call(script, "write_file")
        .put("file_path", "/notes.md")
        .put("content", "lorem ipsum dolor sit amet\n".repeat(95));
    for (int i = 0; i < 5; i++) {
      call(script, "edit_file")
          .put("file_path", "/notes.md")
          .put("old_string", "ipsum")
          .put("new_string", "ipsum ".repeat(10))
          .put("replace_all", true);
    }
    script.addObject().put("content", "edited");
    String jobId = TestJobs.newJobId();
    try (ServiceHarness service = ServiceHarness.start()) {
      HttpResponse<String> response =
          service.postCloudEvent(
              TestJobs.job(jobId, TestJobs.orchestrator("scripted", "scripted", script), "Edit."));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Json.parse(response.body()).path("data").path("result").path("status").asText())
          .isEqualTo("completed");
      HttpResponse<String> state = service.get("/state/" + jobId);
      assertThat(state.statusCode()).isEqualTo(200);
      assertThat(state.body().length()).isLessThan(3_000_000);
      List<JsonNode> edits =
          events(service, jobId, "on_tool_end").stream()
              .filter(e -> e.path("tool").asText().equals("edit_file"))
              .toList();
      assertThat(edits)
          .extracting(e -> e.path("status").asText())
          .contains("success")
          .endsWith("error");
      assertThat(edits.get(edits.size() - 1).path("output").asText())
          .contains("MAX_FILE_CHARS")
          .contains("Nothing was changed");
    }
  }

  @Test
  void stateEventsStayProportionalToTheStateOverManySteps() throws Exception {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i < 30; i++)
      call(script, "write_file")
          .put("file_path", "/part-" + i + ".md")
          .put("content", ("part " + i + " ").repeat(1500));
    script.addObject().put("content", "written");
    String jobId = TestJobs.newJobId();
    try (ServiceHarness service = ServiceHarness.start(Map.of("MAX_PAYLOAD_BYTES", "4194304"))) {
      assertThat(
              service
                  .postCloudEvent(
                      TestJobs.job(
                          jobId, TestJobs.orchestrator("scripted", "scripted", script), "Write."))
                  .statusCode())
          .isEqualTo(200);

      List<JsonNode> states = events(service, jobId, "on_state_update");
      long streamed = states.stream().mapToLong(s -> Json.write(s).length()).sum();
      JsonNode last = states.get(states.size() - 1);
      assertThat(last.path("files").size())
          .as("the last state event carries every file")
          .isEqualTo(30);
      assertThat(last.path("messages").get(0).path("role").asText()).isEqualTo("user");
      assertThat(streamed)
          .as("characters of all %d state events", states.size())
          .isLessThan(3L * Json.write(last).length());
    }
  }

  @Test
  void aSeededFileOverTheLimitIsA400BeforeTheJobStarts() {
    String jobId = TestJobs.newJobId();
    ObjectNode job = TestJobs.threeStepScripted(jobId);
    ((ObjectNode) job.get("input_payload"))
        .putObject("files")
        .put("/huge.txt", "x".repeat(1_100_000));
    try (ServiceHarness service = ServiceHarness.start(Map.of("MAX_PAYLOAD_BYTES", "4194304"))) {
      HttpResponse<String> response = service.post("/invoke", job.toString());

      assertThat(response.statusCode()).isEqualTo(400);
      JsonNode problem = Json.parse(response.body()).path("problems").get(0);
      assertThat(problem.path("code").asText()).isEqualTo("INPUT_FILE_TOO_LARGE");
      assertThat(problem.path("path").asText()).isEqualTo("$.input_payload.files./huge.txt");
      assertThat(service.get("/state/" + jobId).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void anInputMessageOverTheLimitIsRejectedOnEveryPath() {
    String jobId = TestJobs.newJobId();
    ObjectNode job = TestJobs.threeStepScripted(jobId);
    ((ObjectNode) job.get("input_payload")).put("instructions", "y".repeat(5000));
    try (ServiceHarness service = ServiceHarness.start(Map.of("MAX_MESSAGE_CHARS", "1000"))) {
      HttpResponse<String> invoke = service.post("/invoke", job.toString());
      HttpResponse<String> cloudEvent = service.postCloudEvent(job);

      assertThat(invoke.statusCode()).isEqualTo(400);
      assertThat(Json.parse(invoke.body()).path("problems").get(0).path("code").asText())
          .isEqualTo("INPUT_MESSAGE_TOO_LARGE");
      assertThat(cloudEvent.statusCode()).isEqualTo(400);
      assertThat(Json.parse(cloudEvent.body()).path("data").path("error").path("message").asText())
          .contains("MAX_MESSAGE_CHARS");
    }
  }
}
