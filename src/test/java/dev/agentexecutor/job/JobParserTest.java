package dev.agentexecutor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class JobParserTest {
  private static final long LIMIT = 1_048_576;
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final Map<String, String> STRUCTURED =
      Map.of("Content-Type", "application/cloudevents+json");

  private static ObjectNode job() {
    return (ObjectNode)
        Json.parse(
            """
        {"trace_id": "trace-1", "job_id": "job-1", "agent_definition": {},
         "input_payload": {"instructions": "Say hello"}}""");
  }

  private static ObjectNode event(ObjectNode data) {
    ObjectNode event =
        Json.object()
            .put("specversion", "1.0")
            .put("id", "evt-1")
            .put("source", "tests")
            .put("type", JobParser.EXECUTE_TYPE)
            .put("datacontenttype", "application/json");
    event.set("data", data);
    return event;
  }

  private static byte[] bytes(Object json) {
    return json instanceof String text
        ? text.getBytes(StandardCharsets.UTF_8)
        : Json.writeBytes(json);
  }

  private static Map<String, String> binaryHeaders() {
    Map<String, String> headers = new HashMap<>();
    headers.put("ce-specversion", "1.0");
    headers.put("ce-id", "evt-2");
    headers.put("ce-source", "tests");
    headers.put("ce-type", JobParser.EXECUTE_TYPE);
    headers.put("Content-Type", "application/json");
    return headers;
  }

  private static Job structured(Object event) {
    return JobParser.fromCloudEvent(STRUCTURED, bytes(event), LIMIT);
  }

  private static void rejects(
      ThrowingCallable parse,
      int status,
      String code,
      String path,
      Consumer<InvalidJobException> more) {
    assertThatThrownBy(parse)
        .isInstanceOfSatisfying(
            InvalidJobException.class,
            e -> {
              assertThat(e.status()).as("status").isEqualTo(status);
              assertThat(e.problems())
                  .extracting(Problem::code, Problem::path)
                  .contains(tuple(code, path));
              more.accept(e);
            });
  }

  private static void rejects(ThrowingCallable parse, int status, String code, String path) {
    rejects(parse, status, code, path, e -> {});
  }

  @Test
  void readsAStructuredModeEvent() {
    Job job = structured(event(job()));

    assertThat(job.jobId()).isEqualTo("job-1");
    assertThat(job.traceId()).isEqualTo("trace-1");
    assertThat(job.source().get("agent_definition")).isEqualTo(Json.object());
    assertThat(job.definition().subagents()).isEmpty();
    assertThat(job.input().lastMessage().content()).isEqualTo("Say hello");
  }

  @Test
  void readsAStructuredEventWithoutContentTypeAsNatsSendsIt() {
    assertThat(JobParser.fromCloudEvent(Map.of(), bytes(event(job())), LIMIT).jobId())
        .isEqualTo("job-1");
  }

  @Test
  void readsABinaryModeEventWithHeadersInAnyCase() {
    Map<String, String> headers = new HashMap<>();
    binaryHeaders().forEach((k, v) -> headers.put(k.toUpperCase(java.util.Locale.ROOT), v));

    Job job = JobParser.fromCloudEvent(headers, bytes(job()), LIMIT);

    assertThat(job.jobId()).isEqualTo("job-1");
    assertThat(job.input().lastMessage().content()).isEqualTo("Say hello");
  }

  @Test
  void readsABareJob() {
    assertThat(JobParser.fromJobJson(bytes(job()), LIMIT).jobId()).isEqualTo("job-1");
  }

  @Test
  void takesTheTraceContextFromHeadersOrFromAStructuredBody() {
    TraceContext fromHeader =
        JobParser.traceOf(Map.of("TraceParent", TRACEPARENT, "tracestate", "a=b"), new byte[0]);
    TraceContext fromCeHeader =
        JobParser.traceOf(Map.of("ce-traceparent", TRACEPARENT), new byte[0]);
    ObjectNode body = event(job()).put("traceparent", TRACEPARENT).put("tracestate", "k=v");
    TraceContext fromBody = JobParser.traceOf(Map.of(), bytes("  \n" + Json.write(body)));

    assertThat(fromHeader.traceparent()).isEqualTo(TRACEPARENT);
    assertThat(fromHeader.tracestate()).isEqualTo("a=b");
    assertThat(fromCeHeader.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(fromBody.traceparent()).isEqualTo(TRACEPARENT);
    assertThat(fromBody.tracestate()).isEqualTo("k=v");
  }

  @Test
  void startsAFreshTraceWithoutContextOrWithAnUnreadableBody() {
    TraceContext fresh = JobParser.traceOf(Map.of(), bytes("{not json"));

    assertThat(fresh.traceId()).hasSize(32).isNotEqualTo("00000000000000000000000000000000");
  }

  @Test
  void rejectsAnEmptyBodyInEveryMode() {
    rejects(() -> JobParser.fromCloudEvent(STRUCTURED, new byte[0], LIMIT), 400, "BODY_EMPTY", "$");
    rejects(() -> JobParser.fromCloudEvent(Map.of(), new byte[0], LIMIT), 400, "BODY_EMPTY", "$");
    rejects(
        () -> JobParser.fromCloudEvent(binaryHeaders(), new byte[0], LIMIT),
        400,
        "BODY_EMPTY",
        "$");
    rejects(() -> JobParser.fromJobJson(new byte[0], LIMIT), 400, "BODY_EMPTY", "$");
  }

  @Test
  void rejectsABodyThatIsNotJsonSayingWhere() {
    rejects(
        () -> JobParser.fromCloudEvent(STRUCTURED, bytes("{\"specversion\": "), LIMIT),
        400,
        "BODY_NOT_JSON",
        "$",
        e -> assertThat(e.problems().get(0).message()).contains("line 1"));
    rejects(() -> JobParser.fromJobJson(bytes("hello"), LIMIT), 400, "BODY_NOT_JSON", "$");
    rejects(
        () -> JobParser.fromCloudEvent(binaryHeaders(), bytes("hello"), LIMIT),
        400,
        "BODY_NOT_JSON",
        "$.data");
  }

  @Test
  void rejectsJsonBeyondTheParserLimitsInEveryModeWithAProblemNotACrash() {
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String longNumber = "{\"n\": " + "7".repeat(200_000) + "}";
    long big = 4_000_000;
    for (String body : List.of(deep, longNumber)) {
      rejects(
          () -> JobParser.fromCloudEvent(STRUCTURED, bytes(body), big),
          400,
          "BODY_JSON_LIMIT",
          "$");
      rejects(
          () -> JobParser.fromCloudEvent(Map.of(), bytes(body), big), 400, "BODY_JSON_LIMIT", "$");
      rejects(
          () -> JobParser.fromCloudEvent(binaryHeaders(), bytes(body), big),
          400,
          "BODY_JSON_LIMIT",
          "$.data");
      rejects(
          () -> JobParser.fromJobJson(bytes(body), big),
          400,
          "BODY_JSON_LIMIT",
          "$",
          e -> assertThat(e.problems().get(0).message()).doesNotContain("StreamReadConstraints"));
    }
    String nestedData =
        Json.write(event(job()))
            .replace(
                "\"data\":{", "\"data\":{\"deep\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",");
    rejects(() -> structured(nestedData), 400, "BODY_JSON_LIMIT", "$");
  }

  @Test
  void rejectsDuplicateKeysAsAmbiguous() {
    rejects(
        () -> JobParser.fromJobJson(bytes("{\"job_id\": \"a\", \"job_id\": \"b\"}"), LIMIT),
        400,
        "BODY_NOT_JSON",
        "$",
        e -> assertThat(e.problems().get(0).message()).contains("Duplicate field 'job_id'"));
  }

  @Test
  void idsAreRestrictedToASafeAlphabet() {
    for (String id :
        List.of(
            "job\u0000x", "job\nx", "a/b", "../x", "job x", "-leading", "café", "x".repeat(257))) {
      rejects(
          () -> structured(event(job().put("job_id", id))),
          400,
          id.length() > 256 ? "JOB_FIELD_TOO_LONG" : "JOB_FIELD_FORMAT",
          "$.job_id",
          e ->
              assertThat(e.jobId())
                  .as("an unsafe id is never carried into the failed event")
                  .isNull());
      rejects(
          () -> JobParser.fromJobJson(bytes(job().put("trace_id", id)), LIMIT),
          400,
          id.length() > 256 ? "JOB_FIELD_TOO_LONG" : "JOB_FIELD_FORMAT",
          "$.trace_id");
    }
    for (String id : List.of("job-1", "a", "0", "tenant:job_1.v2@x", "x".repeat(256))) {
      assertThat(structured(event(job().put("job_id", id))).jobId()).isEqualTo(id);
    }
  }

  @Test
  void anUnsafeSubjectIsNotUsedAsTheJobIdOfTheFailedEvent() {
    ObjectNode bad = event(job().put("job_id", "bad\nid")).put("subject", "evil\r\nNats-Msg-Id: x");
    rejects(
        () -> structured(bad),
        400,
        "JOB_FIELD_FORMAT",
        "$.job_id",
        e -> assertThat(e.jobId()).isNull());
    ObjectNode badType = event(job()).put("type", "other\u0000");
    rejects(
        () -> structured(badType),
        400,
        "EVT_TYPE",
        "$.type",
        e ->
            assertThat(e.problems().get(0).message()).contains("\\u0000").doesNotContain("\u0000"));
  }

  @Test
  void acceptsCeHeadersWithAStructuredBodyWhenIdAndTypeAgree() {
    Map<String, String> headers = binaryHeaders();
    ObjectNode event = event(job()).put("id", headers.get("ce-id"));

    assertThat(JobParser.fromCloudEvent(headers, bytes(event), LIMIT).jobId()).isEqualTo("job-1");
    rejects(
        () -> JobParser.fromCloudEvent(headers, bytes(event.put("id", "other")), LIMIT),
        400,
        "EVT_AMBIGUOUS",
        "$",
        e -> assertThat(e.jobId()).isEqualTo("job-1"));
    ObjectNode otherType =
        event(job()).put("id", headers.get("ce-id")).put("type", "dev.my-platform.agent.other");
    rejects(
        () -> JobParser.fromCloudEvent(headers, bytes(otherType), LIMIT),
        400,
        "EVT_AMBIGUOUS",
        "$");
  }

  @Test
  void rejectsAJsonArray() {
    rejects(() -> structured("[1, 2]"), 400, "EVT_NOT_OBJECT", "$");
    rejects(() -> JobParser.fromJobJson(bytes("[1, 2]"), LIMIT), 400, "JOB_NOT_OBJECT", "$");
    rejects(
        () -> JobParser.fromCloudEvent(binaryHeaders(), bytes("[1]"), LIMIT),
        400,
        "JOB_NOT_OBJECT",
        "$");
  }

  @Test
  void rejectsAMissingBlankOrNonStringJobIdAndTraceId() {
    rejects(() -> structured(event(job().without("job_id"))), 400, "JOB_FIELD_MISSING", "$.job_id");
    rejects(() -> structured(event(job().put("job_id", "  "))), 400, "JOB_FIELD_BLANK", "$.job_id");
    rejects(
        () -> structured(event(job().put("job_id", 42))),
        400,
        "JOB_FIELD_TYPE",
        "$.job_id",
        e -> assertThat(e.problems().get(0).message()).isEqualTo("must be a string, not a number"));
    rejects(
        () -> structured(event(job().putNull("trace_id"))), 400, "JOB_FIELD_MISSING", "$.trace_id");
    rejects(
        () -> structured(event(job().put("trace_id", ""))), 400, "JOB_FIELD_BLANK", "$.trace_id");
    rejects(
        () -> structured(event((ObjectNode) job().set("trace_id", Json.object()))),
        400,
        "JOB_FIELD_TYPE",
        "$.trace_id");
    rejects(
        () -> structured(event(job().put("job_id", "j".repeat(257)))),
        400,
        "JOB_FIELD_TOO_LONG",
        "$.job_id");
  }

  @Test
  void rejectsADefinitionThatIsNotAnObjectAndAMissingInput() {
    rejects(
        () -> structured(event(job().put("agent_definition", "researcher"))),
        400,
        "JOB_FIELD_TYPE",
        "$.agent_definition");
    rejects(
        () -> structured(event(job().without("input_payload"))),
        400,
        "JOB_FIELD_MISSING",
        "$.input_payload");
    rejects(
        () -> structured(event((ObjectNode) job().set("input_payload", Json.parse("[]")))),
        400,
        "JOB_FIELD_TYPE",
        "$.input_payload");
  }

  @Test
  void reportsDefinitionAndInputProblemsWithTheirPathsAndKeepsTheJobId() {
    ObjectNode bad = job();
    bad.set("agent_definition", Json.parse("{\"nodes\": [{\"id\": \"a\", \"type\": \"boss\"}]}"));
    bad.set("input_payload", Json.object());

    rejects(
        () -> structured(event(bad)),
        400,
        "DEF_NODE_TYPE",
        "$.agent_definition.nodes[0].type",
        e -> {
          assertThat(e.problems())
              .extracting(Problem::code)
              .contains("DEF_NODE_CONFIG", "INPUT_EMPTY");
          assertThat(e.jobId()).isEqualTo("job-1");
        });
  }

  @Test
  void rejectsTheWrongEventTypeKeepingTheJobId() {
    rejects(
        () -> structured(event(job()).put("type", "dev.my-platform.agent.other")),
        400,
        "EVT_TYPE",
        "$.type",
        e -> assertThat(e.jobId()).isEqualTo("job-1"));
    Map<String, String> headers = binaryHeaders();
    headers.put("ce-type", "other");
    rejects(
        () -> JobParser.fromCloudEvent(headers, bytes(job()), LIMIT),
        400,
        "EVT_TYPE",
        "$.type",
        e -> assertThat(e.jobId()).isEqualTo("job-1"));
  }

  @Test
  void rejectsMissingCloudEventAttributesListingEachAndKeepingTheJobId() {
    ObjectNode event = event(job());
    event.remove("id");
    event.put("source", " ");

    rejects(
        () -> structured(event),
        400,
        "EVT_ATTRIBUTE",
        "$.id",
        e -> {
          assertThat(e.problems()).extracting(Problem::path).containsExactly("$.id", "$.source");
          assertThat(e.jobId()).isEqualTo("job-1");
        });
  }

  @Test
  void rejectsABinaryEventWithoutRequiredHeaders() {
    Map<String, String> headers = binaryHeaders();
    headers.remove("ce-id");

    rejects(
        () -> JobParser.fromCloudEvent(headers, bytes(job()), LIMIT),
        400,
        "EVT_INVALID",
        "$",
        e -> assertThat(e.jobId()).isEqualTo("job-1"));
  }

  @Test
  void rejectsSpecVersion03InEitherMode() {
    rejects(
        () -> structured(event(job()).put("specversion", "0.3")),
        400,
        "EVT_SPECVERSION",
        "$.specversion");
    Map<String, String> headers = binaryHeaders();
    headers.put("ce-specversion", "0.3");
    rejects(
        () -> JobParser.fromCloudEvent(headers, bytes(job()), LIMIT),
        400,
        "EVT_SPECVERSION",
        "$.specversion",
        e -> assertThat(e.jobId()).isEqualTo("job-1"));
  }

  @Test
  void rejectsABinaryEventWhoseDataIsNotJsonWith415() {
    Map<String, String> headers = binaryHeaders();
    headers.put("Content-Type", "text/plain");

    rejects(
        () -> JobParser.fromCloudEvent(headers, bytes(job()), LIMIT),
        415,
        "EVT_CONTENT_TYPE",
        "$",
        e -> assertThat(e.getMessage()).contains("text/plain"));
  }

  @Test
  void rejectsANonJsonContentTypeWith415() {
    rejects(
        () ->
            JobParser.fromCloudEvent(
                Map.of("content-type", "text/plain"), bytes(event(job())), LIMIT),
        415,
        "EVT_CONTENT_TYPE",
        "$");
    rejects(
        () ->
            JobParser.fromCloudEvent(
                Map.of("content-type", "application/cloudevents+xml"), bytes("<e/>"), LIMIT),
        415,
        "EVT_CONTENT_TYPE",
        "$");
    rejects(
        () -> structured(event(job()).put("datacontenttype", "text/csv")),
        415,
        "EVT_CONTENT_TYPE",
        "$.datacontenttype");
  }

  @Test
  void rejectsJsonThatIsNotACloudEvent() {
    rejects(
        () ->
            JobParser.fromCloudEvent(
                Map.of("Content-Type", "application/json"), bytes(job()), LIMIT),
        400,
        "EVT_NOT_CLOUDEVENT",
        "$");
  }

  @Test
  void rejectsAnEventWithoutData() {
    ObjectNode event = event(job());
    event.remove("data");

    rejects(() -> structured(event), 400, "EVT_NO_DATA", "$.data");
  }

  @Test
  void rejectsAnOversizedBodyWith413BeforeReadingIt() {
    byte[] big = new byte[2048];

    rejects(
        () -> JobParser.fromCloudEvent(STRUCTURED, big, 1024),
        413,
        "BODY_TOO_LARGE",
        "$",
        e -> assertThat(e.getMessage()).contains("2048 bytes").contains("1024"));
    rejects(() -> JobParser.fromJobJson(big, 1024), 413, "BODY_TOO_LARGE", "$");
  }
}
