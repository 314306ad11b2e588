package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DELETE /cleanup of a thread with several runs: everything of the thread goes (checkpoints,
 * events, every run's record), but not while a run of it waits for decisions.
 */
class ThreadCleanupTest {
  private final String threadId = "thread-" + UUID.randomUUID();
  private final ServiceHarness service = ServiceHarness.start();

  @AfterEach
  void stop() {
    service.close();
  }

  private ObjectNode onThread(ObjectNode job) {
    job.put("thread_id", threadId);
    return job;
  }

  private int status(String path) {
    return service.get(path).statusCode();
  }

  /**
   * A run on the thread after {@code before} model replies of earlier runs (the scripted model
   * plays the reply whose index is the conversation's count of them): it answers at once.
   */
  private ObjectNode answering(String jobId, int before) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i <= before; i++) script.addObject().put("content", "Answer " + i + ".");
    return onThread(
        TestJobs.job(jobId, TestJobs.orchestrator("scripted", "scripted", script), "Go on."));
  }

  /**
   * A run after {@code before} replies whose model then calls write_file, which needs approval: it
   * parks.
   */
  private ObjectNode parking(String jobId, int before) {
    ObjectNode job = answering(jobId, before - 1);
    ArrayNode script =
        (ArrayNode)
            job.path("agent_definition")
                .path("nodes")
                .get(0)
                .path("config")
                .path("model")
                .path("script");
    script
        .addObject()
        .putArray("tool_calls")
        .addObject()
        .put("name", "write_file")
        .putObject("args")
        .put("file_path", "/draft.md")
        .put("content", "draft");
    script.addObject().put("content", "Written.");
    ObjectNode config =
        (ObjectNode) job.path("agent_definition").path("nodes").get(0).path("config");
    config.putObject("interrupt_on").put("write_file", true);
    return job;
  }

  private static void assertCompleted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(Json.parse(response.body()).path("type").asText())
        .as(response.body())
        .isEqualTo("dev.my-platform.agent.completed");
  }

  @Test
  void cleaningUpAThreadRemovesTheRecordsOfEveryRunOnIt() {
    String first = TestJobs.newJobId();
    String second = TestJobs.newJobId();
    assertCompleted(service.postCloudEvent(answering(first, 0)));
    assertCompleted(service.postCloudEvent(answering(second, 1)));
    assertThat(status("/state/" + first)).isEqualTo(200);

    HttpResponse<String> cleaned = service.delete("/cleanup/" + threadId);

    assertThat(cleaned.statusCode()).as(cleaned.body()).isEqualTo(204);
    assertThat(status("/state/" + threadId)).isEqualTo(404);
    assertThat(status("/state/" + first)).as("the first run's record went too").isEqualTo(404);
    assertThat(status("/state/" + second)).isEqualTo(404);
    assertThat(status("/threads/" + threadId + "/history")).isEqualTo(404);
    assertThat(service.delete("/cleanup/" + threadId).statusCode()).isEqualTo(404);
  }

  @Test
  void aThreadWhoseRunWaitsForDecisionsIsNotCleanedUpUntilThatRunEnds() {
    String finished = TestJobs.newJobId();
    String parked = TestJobs.newJobId();
    assertCompleted(service.postCloudEvent(answering(finished, 0)));
    HttpResponse<String> parks = service.postCloudEvent(parking(parked, 1));
    assertThat(Json.parse(parks.body()).path("type").asText())
        .as(parks.body())
        .isEqualTo("dev.my-platform.agent.interrupted");

    HttpResponse<String> refused = service.delete("/cleanup/" + threadId);
    HttpResponse<String> refusedByJob = service.delete("/cleanup/" + parked);

    assertThat(refused.statusCode()).isEqualTo(409);
    JsonNode problem = Json.parse(refused.body());
    assertThat(problem.path("error").asText()).isEqualTo("interrupted");
    assertThat(problem.path("message").asText()).contains("waits for decisions");
    assertThat(refusedByJob.statusCode()).isEqualTo(409);
    assertThat(status("/state/" + parked)).as("nothing removed").isEqualTo(200);
    assertThat(status("/state/" + finished)).isEqualTo(200);

    assertThat(service.post("/cancel/" + parked, "").statusCode()).isEqualTo(202);
    assertThat(service.delete("/cleanup/" + threadId).statusCode()).isEqualTo(204);
    assertThat(status("/state/" + parked)).isEqualTo(404);
  }
}
