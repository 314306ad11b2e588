package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultEventsTest {
  private static final TraceContext TRACE =
      TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");

  @Test
  void aCompletedEventCarriesTheOutputAndUsageOfTheJob() {
    CloudEvent event = ResultEvents.completed("job-1", "Done.", new Usage(12, 3), TRACE);

    assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(UUID.fromString(event.getId())).isNotNull();
    assertThat(event.getSource()).hasToString("agent-executor-service");
    assertThat(event.getType()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(event.getSubject()).isEqualTo("job-1");
    assertThat(event.getExtension("traceparent")).isEqualTo(TRACE.traceparent());
    assertThat(event.getExtension("tracestate")).isEqualTo("k=v");
    assertThat(ResultEvents.data(event))
        .isEqualTo(
            Json.parse(
                """
        {"job_id": "job-1", "result": {"output": "Done.", "status": "completed",
         "usage": {"input_tokens": 12, "output_tokens": 3,
                   "cache_read_tokens": 0, "cache_write_tokens": 0}}}"""));
    assertThat(ResultEvents.status(event)).isEqualTo("completed");
  }

  @Test
  void aFailedEventCarriesTheErrorMessageTypeAndStackTrace() {
    CloudEvent event =
        ResultEvents.failed("job-2", "the run was cancelled", "Cancelled", null, TRACE);

    assertThat(event.getType()).isEqualTo("dev.my-platform.agent.failed");
    assertThat(ResultEvents.data(event))
        .isEqualTo(
            Json.parse(
                """
        {"job_id": "job-2", "error": {"message": "the run was cancelled", "type": "Cancelled", "stack_trace": ""}}"""));
    assertThat(ResultEvents.status(event)).isEqualTo("failed");
  }

  @Test
  void aFailedEventForAnUnreadableJobIdStillHasASubject() {
    assertThat(ResultEvents.failed(null, "bad", "ValidationError", "", TRACE).getSubject())
        .isEqualTo("unknown");
  }

  @Test
  void survivesARoundTripThroughStructuredJson() {
    CloudEvent event = ResultEvents.completed("job-3", "ok", Usage.ZERO, TRACE);

    CloudEvent back = ResultEvents.fromJson(ResultEvents.toJsonNode(event));

    assertThat(back.getId()).isEqualTo(event.getId());
    assertThat(ResultEvents.data(back)).isEqualTo(ResultEvents.data(event));
    assertThat(back.getExtension("traceparent")).isEqualTo(TRACE.traceparent());
  }

  @Test
  void theStoredTreeIsExactlyTheEventWrittenOutAndReadBackAndRoundTrips() {
    CloudEvent withBinaryData =
        io.cloudevents.core.builder.CloudEventBuilder.v1()
            .withId("bin-1")
            .withSource(ResultEvents.SOURCE)
            .withType(ResultEvents.COMPLETED_TYPE)
            .withDataContentType("application/octet-stream")
            .withData(new byte[] {1, 2, 3})
            .withExtension("count", 3)
            .withExtension("flag", true)
            .build();
    java.util.List<CloudEvent> events =
        java.util.List.of(
            ResultEvents.completed("job-1", "Done.", new Usage(12, 3), TRACE),
            ResultEvents.completed("job-1", "Done.", new Usage(12, 3), null),
            ResultEvents.failed("job-2", "boom", "ModelError", "", TRACE),
            ResultEvents.cancelled("job-3", "thread-3", "stopped", TRACE),
            ResultEvents.interrupted("job-4", "thread-4", Json.MAPPER.createArrayNode(), TRACE),
            withBinaryData);

    for (CloudEvent event : events) {
      assertThat(ResultEvents.toJsonNode(event))
          .as(event.getType())
          .isEqualTo(Json.parse(ResultEvents.toJson(event)));
      assertThat(
              Json.parse(
                  ResultEvents.toJson(ResultEvents.fromJson(ResultEvents.toJsonNode(event)))))
          .as("read back, it is the same event")
          .isEqualTo(Json.parse(ResultEvents.toJson(event)));
    }
  }
}
