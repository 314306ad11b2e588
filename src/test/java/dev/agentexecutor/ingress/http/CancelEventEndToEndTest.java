package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancel in embedded (memory) mode: the {@code dev.my-platform.agent.cancel} CloudEvent on POST /
 * answers like POST /cancel (202 cancelling, 409 finished, 404 unknown, 400 malformed), and a
 * cancelled job publishes one {@code dev.my-platform.agent.cancelled} event, however often it is
 * cancelled.
 */
class CancelEventEndToEndTest {
  private final ServiceHarness service = ServiceHarness.start();

  @AfterEach
  void stop() {
    service.close();
  }

  private HttpResponse<String> postEvent(JsonNode event) {
    return service.post("/", event.toString(), "Content-Type", "application/cloudevents+json");
  }

  private String startSlowJob() {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> started =
        service.post("/invoke", TestJobs.slowScripted(jobId, 200, 50).toString());
    assertThat(started.statusCode()).isEqualTo(200);
    return jobId;
  }

  private List<CloudEvent> published(String jobId) {
    MemoryResultPublisher results = (MemoryResultPublisher) service.app().backends().results();
    return results.published().stream().filter(e -> jobId.equals(e.getSubject())).toList();
  }

  @Test
  void theCancelEventStopsARunningJobWhichPublishesOneCancelledEvent() throws Exception {
    String jobId = startSlowJob();
    Thread.sleep(200);

    HttpResponse<String> first = postEvent(CloudEvents.cancel(jobId));
    HttpResponse<String> second = service.post("/cancel/" + jobId, "");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(Json.parse(first.body()))
        .isEqualTo(Json.object().put("thread_id", jobId).put("status", "cancelling"));
    assertThat(second.statusCode()).isIn(202, 409);
    JsonNode state = service.awaitState(jobId, "cancelled", Duration.ofSeconds(5));
    assertThat(state.path("error").path("type").asText()).isEqualTo("Cancelled");
    Thread.sleep(200);
    List<CloudEvent> events = published(jobId);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getType()).isEqualTo("dev.my-platform.agent.cancelled");
    JsonNode data = Json.parse(events.get(0).getData().toBytes());
    assertThat(data.path("job_id").asText()).isEqualTo(jobId);
    assertThat(data.path("thread_id").asText()).isEqualTo(jobId);
    assertThat(data.path("error").path("type").asText()).isEqualTo("Cancelled");
    assertThat(data.path("error").path("message").asText()).isNotBlank();

    HttpResponse<String> afterwards = postEvent(CloudEvents.cancel(jobId));
    assertThat(afterwards.statusCode()).isEqualTo(409);
    assertThat(published(jobId)).hasSize(1);
  }

  @Test
  void aCancelledJobSubmittedAgainReplaysItsCancelledEvent() throws Exception {
    String jobId = startSlowJob();
    Thread.sleep(200);
    assertThat(service.post("/cancel/" + jobId, "").statusCode()).isEqualTo(202);
    service.awaitState(jobId, "cancelled", Duration.ofSeconds(5));

    HttpResponse<String> again = service.postCloudEvent(TestJobs.slowScripted(jobId, 200, 50));

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(Json.parse(again.body()).path("type").asText())
        .isEqualTo("dev.my-platform.agent.cancelled");
  }

  @Test
  void aCancelEventForAnUnknownJobIs404AndAMalformedOneIs400() {
    HttpResponse<String> unknown = postEvent(CloudEvents.cancel(TestJobs.newJobId()));
    assertThat(unknown.statusCode()).isEqualTo(404);

    JsonNode noTrace = CloudEvents.cancel("job-x");
    ((com.fasterxml.jackson.databind.node.ObjectNode) noTrace.get("data")).remove("trace_id");
    HttpResponse<String> malformed = postEvent(noTrace);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("JOB_FIELD_MISSING").contains("$.trace_id");

    JsonNode badId = CloudEvents.cancel("job-x");
    ((com.fasterxml.jackson.databind.node.ObjectNode) badId.get("data")).put("job_id", "a b");
    HttpResponse<String> unsafe = postEvent(badId);
    assertThat(unsafe.statusCode()).isEqualTo(400);
    assertThat(unsafe.body()).contains("JOB_FIELD_FORMAT");
  }

  @Test
  void aCancelEventInBinaryModeIsTakenToo() throws Exception {
    String jobId = startSlowJob();
    Thread.sleep(200);
    String[] headers = CloudEvents.binaryHeaders();
    for (int i = 0; i < headers.length; i += 2)
      if (headers[i].equals("ce-type")) headers[i + 1] = CloudEvents.CANCEL_TYPE;

    HttpResponse<String> response =
        service.post(
            "/", Json.object().put("job_id", jobId).put("trace_id", "t-1").toString(), headers);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    service.awaitState(jobId, "cancelled", Duration.ofSeconds(5));
  }
}
