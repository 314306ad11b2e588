package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resume CloudEvent and the resume route's body, as the edge reads them. */
class ResumeParsingTest {
  private final JobParser parser = JobParser.withDefaultLimits(1 << 20);

  private static byte[] resumeEvent(String data, String tenant) {
    ObjectNode event =
        Json.object()
            .put("specversion", "1.0")
            .put("id", "e-1")
            .put("source", "/test")
            .put("type", JobParser.RESUME_TYPE);
    if (tenant != null) event.put("tenant", tenant);
    event.set("data", Json.parse(data));
    return event.toString().getBytes(StandardCharsets.UTF_8);
  }

  private ParsedJob event(String data, String tenant) {
    return parser.cloudEvent(
        Map.of("Content-Type", "application/cloudevents+json"), resumeEvent(data, tenant));
  }

  @Test
  void aResumeEventReadsItsJobTenantAndDecisionsInOrder() {
    ParsedJob parsed =
        event(
            """
            {"job_id": "job-1", "trace_id": "t-1", "decisions": [
              {"type": "approve"},
              {"type": "edit", "args": {"file_path": "/b.md"}},
              {"type": "reject", "message": "no"},
              {"type": "reject"}]}""",
            "acme");

    assertThat(parsed).isInstanceOf(ParsedJob.Resume.class);
    ResumeRequest request = ((ParsedJob.Resume) parsed).request();
    assertThat(request.jobId()).isEqualTo("job-1");
    assertThat(request.traceId()).isEqualTo("t-1");
    assertThat(request.tenant()).isEqualTo("acme");
    assertThat(request.decisions())
        .containsExactly(
            new Decision.Approve(),
            new Decision.Edit(Json.object().put("file_path", "/b.md")),
            new Decision.Reject("no"),
            new Decision.Reject(null));
  }

  @Test
  void everyFaultOfAResumeIsAProblemAtItsPath() {
    ParsedJob parsed =
        event(
            """
            {"trace_id": 5, "decisions": [
              "approve", {"type": "later"}, {"type": "edit"}, {"type": "reject", "message": 3}]}""",
            null);

    assertThat(parsed).isInstanceOf(ParsedJob.Invalid.class);
    assertThat(((ParsedJob.Invalid) parsed).problem().problems())
        .extracting(Problem::path)
        .containsExactly(
            "$.job_id",
            "$.trace_id",
            "$.decisions[0]",
            "$.decisions[1].type",
            "$.decisions[2].args",
            "$.decisions[3].message");
    assertThat(((ParsedJob.Invalid) parsed).problem().problems())
        .extracting(Problem::code)
        .endsWith(
            "DECISIONS_INVALID", "DECISIONS_INVALID", "DECISIONS_INVALID", "DECISIONS_INVALID");
  }

  @Test
  void aResumeIsNotAJobToRun() {
    ParsedJob parsed = event("{\"job_id\": \"job-1\", \"decisions\": []}", null);

    assertThat(parsed).isInstanceOf(ParsedJob.Resume.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobParser.orThrow(parsed))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("EVT_TYPE");
  }

  @Test
  void theRouteBodyNeedsAnArrayOfDecisions() {
    ParsedJob missing = parser.resumeJson(Map.of(), "{}".getBytes(StandardCharsets.UTF_8), "job-1");
    ParsedJob notObject =
        parser.resumeJson(Map.of(), "[]".getBytes(StandardCharsets.UTF_8), "job-1");
    ParsedJob good =
        parser.resumeJson(
            Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            "{\"decisions\": [{\"type\": \"approve\"}]}".getBytes(StandardCharsets.UTF_8),
            "job-1");

    assertThat(((ParsedJob.Invalid) missing).problem().problems())
        .extracting(Problem::path)
        .containsExactly("$.decisions");
    assertThat(((ParsedJob.Invalid) notObject).problem().problems())
        .extracting(Problem::code)
        .containsExactly("DECISIONS_INVALID");
    ResumeRequest request = ((ParsedJob.Resume) good).request();
    assertThat(request.jobId()).isEqualTo("job-1");
    assertThat(request.trace().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
  }
}
