package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmRequest;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceProcess;
import dev.agentexecutor.testkit.TestJobs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The service as a real process that is killed (SIGKILL) in the middle of a job, or stopped
 * (SIGTERM): the job must complete exactly once, from its checkpoint, on another process.
 */
@Tag("integration")
class CrashRecoveryTest {
  private final DurableEnvironment environment = new DurableEnvironment();
  private final FakeLlmServer llm = FakeLlmServer.start();

  @AfterEach
  void cleanUp() throws Exception {
    llm.close();
    environment.close();
  }

  private Map<String, String> env() {
    return environment
        .with("LLM_PROVIDER", "openai")
        .with("OPENAI_BASE_URL", llm.baseUrl())
        .with("OPENAI_API_KEY", "test-key")
        .with("MODEL_MAX_RETRIES", "0")
        .env();
  }

  private static int assistantMessages(FakeLlmRequest request) {
    int count = 0;
    for (JsonNode message : request.messages())
      if ("assistant".equals(message.path("role").asText())) count++;
    return count;
  }

  @Test
  void aJobKilledMidRunCompletesFromItsCheckpointOnAnotherProcessExactlyOnce() throws Exception {
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall(
            "c1",
            "write_file",
            "{\"file_path\":\"/step1.md\",\"content\":\"done before the crash\"}"),
        FakeLlmReply.text("too late: the process is killed while this is delayed")
            .withDelay(Duration.ofSeconds(30)));
    try (ResultListener results = new ResultListener(environment.subjectPrefix);
        ServiceProcess first = ServiceProcess.start(env())) {
      first.awaitReady(Duration.ofSeconds(30));
      results.publishJob(
          environment.jobSubject("crash"),
          TestJobs.job(
              jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "survive a crash"));
      NatsTestKit.await(
          "the second model call in flight", Duration.ofSeconds(20), () -> llm.requestCount() >= 2);
      first.kill();

      llm.enqueue(FakeLlmReply.text("finished on the second process"));
      long killedAt = System.nanoTime();
      try (ServiceProcess second = ServiceProcess.start(env())) {
        second.awaitReady(Duration.ofSeconds(30));
        ResultListener.Received completed = results.awaitOne(jobId, Duration.ofSeconds(30));
        Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);

        assertThat(completed.event().path("type").asText())
            .as(second.log())
            .isEqualTo("dev.my-platform.agent.completed");
        assertThat(completed.event().path("data").path("result").path("output").asText())
            .isEqualTo("finished on the second process");
        assertThat(recovery)
            .isLessThan(Duration.ofSeconds(3 + 15)); // ack wait + start-up + a few seconds
        assertThat(llm.requestCount()).isEqualTo(3);
        FakeLlmRequest resumed = llm.requests().get(2);
        assertThat(assistantMessages(resumed)).as("the first step is not asked again").isEqualTo(1);
        assertThat(resumed.messages().toString()).contains("Updated file /step1.md");
        Thread.sleep(1000);
        assertThat(results.forJob(jobId)).hasSize(1);
        assertThat(second.terminate(Duration.ofSeconds(20))).isZero();
      }
    }
  }

  @Test
  void sigtermDrainsTheRunningJobAndExitsZero() throws Exception {
    String jobId = TestJobs.newJobId();
    llm.enqueue(FakeLlmReply.text("finished while draining").withDelay(Duration.ofSeconds(2)));
    try (ResultListener results = new ResultListener(environment.subjectPrefix);
        ServiceProcess service = ServiceProcess.start(env())) {
      service.awaitReady(Duration.ofSeconds(30));
      results.publishJob(
          environment.jobSubject("drain"),
          TestJobs.job(
              jobId,
              TestJobs.orchestrator("openai", "gpt-4o-mini", null),
              "finish while draining"));
      NatsTestKit.await(
          "the model call in flight", Duration.ofSeconds(20), () -> llm.requestCount() >= 1);

      int exit = service.terminate(Duration.ofSeconds(20));

      assertThat(exit).as(service.log()).isZero();
      assertThat(results.forJob(jobId)).as(service.log()).hasSize(1);
      assertThat(results.forJob(jobId).get(0).event().path("type").asText())
          .isEqualTo("dev.my-platform.agent.completed");
      assertThat(service.log()).contains("NATS worker drained");
    }
  }
}
