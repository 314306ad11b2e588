package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With NATS configured, HTTP jobs are put on the job stream and a worker runs them. */
@Tag("integration")
class HttpJobsOnTheStreamTest {
  private final DurableEnvironment environment =
      new DurableEnvironment().with("HTTP_RESULT_WAIT_SECONDS", "1");
  private ServiceHarness service;

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    environment.close();
  }

  @Test
  void aPostedJobIsQueuedAsTheCallersTenantAndAnswered202WhenItOutlastsTheWait() throws Exception {
    try (ResultListener results = new ResultListener(environment.subjectPrefix)) {
      service = ServiceHarness.start(environment.env());
      NatsTestKit.await(
          "ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
      String jobId = TestJobs.newJobId();

      HttpResponse<String> answer = service.postCloudEvent(TestJobs.slowScripted(jobId, 4, 500));

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      assertThat(answer.headers().firstValue("Location")).contains("/state/" + jobId);
      JsonNode body = Json.parse(answer.body());
      assertThat(body.path("job_id").asText()).isEqualTo(jobId);
      assertThat(body.path("status").asText()).isIn("queued", "running");
      service.awaitState(jobId, "completed", Duration.ofSeconds(30));
      assertThat(results.awaitOne(jobId, Duration.ofSeconds(10)).event().path("type").asText())
          .isEqualTo("dev.my-platform.agent.completed");

      JetStreamManagement management = results.connection().jetStreamManagement();
      MessageInfo queued = management.getMessage(environment.jobStream, 1);
      assertThat(queued.getSubject()).isEqualTo(environment.jobSubject(jobId));
      assertThat(queued.getHeaders().getFirst("Nats-Msg-Id")).matches(jobId + "-[0-9a-f]{16}");
      assertThat(queued.getHeaders().getFirst("ce-tenant")).isEqualTo("default");

      HttpResponse<String> again = service.postCloudEvent(TestJobs.slowScripted(jobId, 4, 500));
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(Json.parse(again.body()).path("type").asText())
          .as("a finished job is answered from its stored result")
          .isEqualTo("dev.my-platform.agent.completed");
      Thread.sleep(1000);
      assertThat(results.forJob(jobId)).hasSize(1);
    }
  }

  @Test
  void invokeQueuesTheJobAndAWorkerRunsIt() throws Exception {
    try (ResultListener results = new ResultListener(environment.subjectPrefix)) {
      service = ServiceHarness.start(environment.env());
      NatsTestKit.await(
          "ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
      String jobId = TestJobs.newJobId();

      HttpResponse<String> answer =
          service.post(
              "/invoke",
              TestJobs.threeStepScripted(jobId).toString(),
              "Content-Type",
              "application/json");

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(Json.parse(answer.body()).path("status").asText()).isEqualTo("started");
      assertThat(results.awaitOne(jobId, Duration.ofSeconds(15)).event().path("type").asText())
          .isEqualTo("dev.my-platform.agent.completed");
      assertThat(
              results
                  .connection()
                  .jetStreamManagement()
                  .getStreamInfo(environment.jobStream)
                  .getStreamState()
                  .getMsgCount())
          .as("the job went through the job stream")
          .isEqualTo(1);
    }
  }
}
