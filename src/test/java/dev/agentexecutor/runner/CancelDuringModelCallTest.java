package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancel stops a job within about a second even while a model request is in flight: the request is
 * aborted (not waited for, not retried), in the orchestrator and in parallel subagents, whether the
 * server has not answered yet or stalls in the middle of a streamed answer. The fake LLM holds each
 * answer for 10 s; MODEL_TIMEOUT_SECONDS is a minute, so only the cancel can end the call early.
 */
class CancelDuringModelCallTest {
  private static final Duration HOLD = Duration.ofSeconds(10);

  private final FakeLlmServer llm = FakeLlmServer.start();
  private final ServiceHarness service =
      ServiceHarness.start(
          Map.of(
              "LLM_PROVIDER", "openai",
              "OPENAI_BASE_URL", llm.baseUrl(),
              "OPENAI_API_KEY", "sk-test-secret-key-123456",
              "MODEL_TIMEOUT_SECONDS", "60",
              "MODEL_MAX_RETRIES", "3"));

  @AfterEach
  void stop() {
    service.close();
    llm.close();
  }

  @Test
  void aCancelledJobEndsWithinASecondWhileTheModelHasNotAnsweredYet() throws Exception {
    llm.defaultReply(FakeLlmReply.text("too late").withDelay(HOLD));
    String jobId =
        start(TestJobs.job(jobId(), TestJobs.orchestrator("openai", "gpt-4o-mini", null), "Hi"));

    long millis = cancelOnceRequested(jobId, 1);

    assertThat(millis).isLessThan(1500);
    assertThat(llm.requestCount()).isEqualTo(1); // aborted, not retried
  }

  @Test
  void aCancelledJobEndsWithinASecondWhileTheAnswerStallsMidStream() throws Exception {
    llm.stallStreamsAfterFirstEvent(HOLD);
    llm.defaultReply(FakeLlmReply.text("a long answer that stalls after its first words"));
    String jobId =
        start(TestJobs.job(jobId(), TestJobs.orchestrator("openai", "gpt-4o-mini", null), "Hi"));

    long millis = cancelOnceRequested(jobId, 1);

    assertThat(millis).isLessThan(1500);
    assertThat(llm.requestCount()).isEqualTo(1);
  }

  @Test
  void everyParallelSubagentsModelCallIsAbortedByOneCancel() throws Exception {
    llm.when(
        r -> r.systemPrompt().startsWith("You are the"),
        FakeLlmReply.text("a").withDelay(HOLD),
        FakeLlmReply.text("b").withDelay(HOLD));
    llm.enqueue(
        FakeLlmReply.toolCalls(
            new FakeLlmReply.ToolCall(
                "c1", "task", "{\"description\":\"one\",\"subagent_type\":\"researcher\"}"),
            new FakeLlmReply.ToolCall(
                "c2", "task", "{\"description\":\"two\",\"subagent_type\":\"writer\"}")));
    String jobId = start(TestJobs.job(jobId(), team(), "Hi"));

    long millis = cancelOnceRequested(jobId, 3); // the lead's call and both subagents'

    assertThat(millis).isLessThan(1500);
    assertThat(llm.requestCount()).isEqualTo(3);
  }

  private static String jobId() {
    return TestJobs.newJobId();
  }

  private String start(ObjectNode job) {
    assertThat(service.post("/invoke", job.toString()).statusCode()).isEqualTo(200);
    return job.path("job_id").asText();
  }

  /**
   * Waits until the fake server holds {@code requests}, cancels, and times the way to "cancelled".
   */
  private long cancelOnceRequested(String jobId, int requests) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (llm.requestCount() < requests && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(llm.requestCount()).isEqualTo(requests);
    Thread.sleep(100); // the requests are in flight, their answers held back
    long cancelledAt = System.nanoTime();
    assertThat(service.post("/cancel/" + jobId, "").statusCode()).isEqualTo(202);
    JsonNode state = service.awaitState(jobId, "cancelled", Duration.ofSeconds(5));
    long millis = Duration.ofNanos(System.nanoTime() - cancelledAt).toMillis();
    assertThat(state.path("status").asText()).isEqualTo("cancelled");
    return millis;
  }

  private static ObjectNode team() {
    ObjectNode definition = TestJobs.orchestrator("openai", "gpt-4o-mini", null);
    ArrayNode nodes = (ArrayNode) definition.get("nodes");
    for (String name : List.of("researcher", "writer")) {
      ObjectNode config =
          nodes
              .addObject()
              .put("id", name)
              .put("type", "specialist")
              .putObject("config")
              .put("name", name)
              .put("description", "The " + name + ".")
              .put("system_prompt", "You are the " + name + ".");
      config.putObject("model").put("provider", "openai").put("model", "gpt-4o-mini");
    }
    return definition;
  }
}
