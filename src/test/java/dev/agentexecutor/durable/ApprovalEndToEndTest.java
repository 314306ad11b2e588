package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmRequest;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Human approval end to end over HTTP, on real PostgreSQL, Redis and NATS with a scripted model
 * server: a job parks (record, stream, interrupted event), is resumed with each kind of decision,
 * and continues without asking the model again for a reply it has or running a call twice.
 */
@Tag("integration")
class ApprovalEndToEndTest {
  private final DurableEnvironment environment = new DurableEnvironment();
  private final FakeLlmServer llm = FakeLlmServer.start();
  private ServiceHarness service;
  private ResultListener results;

  private void start(Map<String, String> extra) throws Exception {
    results = new ResultListener(environment.subjectPrefix);
    environment
        .with("LLM_PROVIDER", "openai")
        .with("OPENAI_BASE_URL", llm.baseUrl())
        .with("OPENAI_API_KEY", "test-key")
        .with("MODEL_MAX_RETRIES", "0");
    extra.forEach(environment::with);
    service = ServiceHarness.start(environment.env());
    NatsTestKit.await(
        "service ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
  }

  private void start() throws Exception {
    start(Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    if (results != null) results.close();
    llm.close();
    environment.close();
  }

  /** An orchestrator on the fake model whose write_file (and any others) need approval. */
  static ObjectNode approvalJob(String jobId, String interruptOn) {
    ObjectNode job =
        TestJobs.job(
            jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "write the report");
    ObjectNode config =
        (ObjectNode) job.path("agent_definition").path("nodes").get(0).path("config");
    config.set("interrupt_on", Json.parse(interruptOn));
    return job;
  }

  static ArrayNode decisions(String... json) {
    ArrayNode decisions = Json.MAPPER.createArrayNode();
    for (String decision : json) decisions.add(Json.parse(decision));
    return decisions;
  }

  private HttpResponse<String> resume(String jobId, ArrayNode decisions) {
    ObjectNode body = Json.object();
    body.set("decisions", decisions);
    return service.post(
        "/jobs/" + jobId + "/resume", body.toString(), "Content-Type", "application/json");
  }

  private static String writeArgs(String path, String content) {
    return Json.object().put("file_path", path).put("content", content).toString();
  }

  /** The tool messages the model was sent in a request, by tool call id. */
  private static List<String> toolMessages(FakeLlmRequest request) {
    List<String> tools = new ArrayList<>();
    for (JsonNode message : request.messages())
      if ("tool".equals(message.path("role").asText()))
        tools.add(message.path("tool_call_id").asText() + ": " + message.path("content").asText());
    return tools;
  }

  private List<JsonNode> streamedEvents(String jobId) {
    HttpResponse<String> stream =
        service.get("/stream/" + jobId + "/events", "Accept", "text/event-stream");
    List<JsonNode> events = new ArrayList<>();
    stream
        .body()
        .lines()
        .filter(line -> line.startsWith("data: "))
        .forEach(line -> events.add(Json.parse(line.substring(6))));
    return events;
  }

  @Test
  void aJobParksOverHttpAndAnApprovedResumeFinishesItWithoutAskingTheModelAgain() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/report.md", "approved text")),
        FakeLlmReply.text("The report is written."));

    HttpResponse<String> parked =
        service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}"));

    assertThat(parked.statusCode()).as(parked.body()).isEqualTo(200);
    JsonNode event = Json.parse(parked.body());
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.interrupted");
    JsonNode interrupt = event.path("data").path("interrupts").get(0);
    assertThat(event.path("data").path("thread_id").asText()).isEqualTo(jobId);
    assertThat(interrupt.path("id").asText()).isEqualTo("|w1");
    assertThat(interrupt.path("tool").asText()).isEqualTo("write_file");
    assertThat(interrupt.path("args").path("file_path").asText()).isEqualTo("/report.md");
    assertThat(interrupt.path("allowed_decisions"))
        .extracting(JsonNode::asText)
        .containsExactly("approve", "edit", "reject");
    assertThat(interrupt.path("args_schema").path("type").asText()).isEqualTo("object");
    ResultListener.Received published = results.awaitOne(jobId, Duration.ofSeconds(10));
    assertThat(published.subject()).isEqualTo(environment.interruptedSubject());

    JsonNode state = service.awaitState(jobId, "interrupted", Duration.ofSeconds(5));
    assertThat(state.path("interrupts").get(0).path("id").asText()).isEqualTo("|w1");
    assertThat(state.path("generated_files").has("/report.md")).isFalse();
    List<JsonNode> streamed = streamedEvents(jobId);
    assertThat(streamed.get(streamed.size() - 1).path("event_type").asText()).isEqualTo("end");
    JsonNode onInterrupt = streamed.get(streamed.size() - 2);
    assertThat(onInterrupt.path("event_type").asText()).isEqualTo("on_interrupt");
    assertThat(onInterrupt.path("data").path("interrupts").get(0).path("id").asText())
        .isEqualTo("|w1");
    assertThat(llm.requestCount()).isEqualTo(1);

    HttpResponse<String> resumed = resume(jobId, decisions("{\"type\": \"approve\"}"));

    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
    assertThat(Json.parse(resumed.body()).path("status").asText()).isEqualTo("running");
    assertThat(Json.parse(resumed.body()).path("thread_id").asText()).isEqualTo(jobId);
    JsonNode done = service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    assertThat(done.path("result").path("output").asText()).isEqualTo("The report is written.");
    assertThat(done.path("generated_files").path("/report.md").path("content").toString())
        .contains("approved text");
    assertThat(done.has("interrupts")).isFalse();
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(toolMessages(llm.lastRequest())).hasSize(1);
    // usage adds up across the park and the resume: two model calls of the fake's default usage
    assertThat(done.path("result").path("usage").path("input_tokens").asLong())
        .isEqualTo(2L * FakeLlmReply.DEFAULT_INPUT_TOKENS);
    NatsTestKit.await(
        "the completed event", Duration.ofSeconds(10), () -> results.forJob(jobId).size() == 2);
    assertThat(results.forJob(jobId).get(1).subject()).isEqualTo(environment.completedSubject());

    String metrics = service.get("/metrics").body();
    assertThat(metrics)
        .contains(
            "agent_executor_jobs_interrupted_total 1.0",
            "agent_executor_interrupt_decisions_total{type=\"approve\"} 1.0",
            "agent_executor_interrupt_parked_seconds_count 1");

    HttpResponse<String> again = resume(jobId, decisions("{\"type\": \"approve\"}"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(Json.parse(again.body()).path("problems").get(0).path("code").asText())
        .isEqualTo("NOT_INTERRUPTED");
  }

  @Test
  void anEditRunsTheCallWithTheNewArgumentsAndTheHistoryShowsThem() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/draft.md", "first try")),
        FakeLlmReply.text("Done."));
    assertThat(service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}")).statusCode())
        .isEqualTo(200);

    HttpResponse<String> resumed =
        resume(
            jobId,
            decisions(
                "{\"type\": \"edit\", \"args\": {\"file_path\": \"/final.md\", \"content\": \"edited\"}}"));

    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
    JsonNode done = service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    assertThat(done.path("generated_files").has("/draft.md")).isFalse();
    assertThat(done.path("generated_files").path("/final.md").toString()).contains("edited");
    JsonNode assistant = llm.lastRequest().messages().get(2);
    assertThat(assistant.toString()).contains("/final.md").doesNotContain("/draft.md");
  }

  @Test
  void aRejectionRunsNothingTellsTheModelWhyAndADifferentToolThenRuns() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/prod.cfg", "rm -rf")),
        FakeLlmReply.toolCall(
            "t1",
            "write_todos",
            "{\"todos\":[{\"content\":\"ask first\",\"status\":\"pending\"}]}"),
        FakeLlmReply.text("I will ask first."));
    assertThat(service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}")).statusCode())
        .isEqualTo(200);

    HttpResponse<String> resumed =
        resume(jobId, decisions("{\"type\": \"reject\", \"message\": \"never touch prod\"}"));

    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
    service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    JsonNode done = service.awaitState(jobId, "completed", Duration.ofSeconds(1));
    assertThat(done.path("generated_files").has("/prod.cfg")).isFalse();
    assertThat(llm.requestCount()).isEqualTo(3);
    assertThat(toolMessages(llm.requests().get(1))).containsExactly("w1: never touch prod");
    assertThat(toolMessages(llm.lastRequest())).hasSize(2);
    assertThat(toolMessages(llm.lastRequest()).get(1)).startsWith("t1: ");
  }

  @Test
  void severalInterruptsInOneReplyTakeOneDecisionEachInOrderAndTheOtherCallsWait()
      throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCalls(
            new FakeLlmReply.ToolCall("a", "write_file", writeArgs("/a.md", "A")),
            new FakeLlmReply.ToolCall(
                "t", "write_todos", "{\"todos\":[{\"content\":\"x\",\"status\":\"pending\"}]}"),
            new FakeLlmReply.ToolCall("b", "write_file", writeArgs("/b.md", "B"))),
        FakeLlmReply.text("Both handled."));

    HttpResponse<String> parked =
        service.postCloudEvent(
            approvalJob(
                jobId, "{\"write_file\": {\"allowed_decisions\": [\"approve\", \"reject\"]}}"));

    JsonNode interrupts = Json.parse(parked.body()).path("data").path("interrupts");
    assertThat(interrupts).extracting(i -> i.path("id").asText()).containsExactly("|a", "|b");
    assertThat(interrupts.get(0).path("allowed_decisions"))
        .extracting(JsonNode::asText)
        .containsExactly("approve", "reject");

    HttpResponse<String> tooFew = resume(jobId, decisions("{\"type\": \"approve\"}"));
    assertThat(tooFew.statusCode()).isEqualTo(400);
    assertThat(tooFew.body()).contains("DECISIONS_INVALID", "$.decisions");
    HttpResponse<String> notAllowed =
        resume(
            jobId,
            decisions(
                "{\"type\": \"approve\"}",
                "{\"type\": \"edit\", \"args\": {\"file_path\": \"/c.md\", \"content\": \"C\"}}"));
    assertThat(notAllowed.statusCode()).isEqualTo(400);
    assertThat(notAllowed.body()).contains("DECISIONS_INVALID", "$.decisions[1].type");
    HttpResponse<String> unknownType = resume(jobId, decisions("{\"type\": \"maybe\"}", "{}"));
    assertThat(unknownType.statusCode()).isEqualTo(400);
    assertThat(unknownType.body()).contains("$.decisions[0].type", "$.decisions[1].type");
    service.awaitState(jobId, "interrupted", Duration.ofSeconds(1));

    HttpResponse<String> resumed =
        resume(jobId, decisions("{\"type\": \"approve\"}", "{\"type\": \"reject\"}"));

    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
    JsonNode done = service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    assertThat(done.path("generated_files").has("/a.md")).isTrue();
    assertThat(done.path("generated_files").has("/b.md")).isFalse();
    assertThat(llm.requestCount()).isEqualTo(2);
    List<String> tools = toolMessages(llm.lastRequest());
    assertThat(tools).hasSize(3);
    assertThat(tools.get(1)).startsWith("t: ");
    assertThat(tools.get(2)).startsWith("b: User rejected the tool call for `write_file`");
  }

  @Test
  void editedArgumentsThatBreakTheToolsSchemaAreRefusedAtTheirPath() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(FakeLlmReply.toolCall("w1", "write_file", writeArgs("/x.md", "x")));
    service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}"));

    HttpResponse<String> refused =
        resume(jobId, decisions("{\"type\": \"edit\", \"args\": {\"file_path\": 42}}"));

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonNode problems = Json.parse(refused.body()).path("problems");
    assertThat(problems).isNotEmpty();
    assertThat(problems)
        .allSatisfy(p -> assertThat(p.path("code").asText()).isEqualTo("DECISIONS_INVALID"));
    assertThat(problems)
        .extracting(p -> p.path("path").asText())
        .allSatisfy(path -> assertThat(path).startsWith("$.decisions[0].args"));
    assertThat(service.get("/jobs/no-such-job/resume").statusCode()).isEqualTo(405);
    assertThat(resume("no-such-job", decisions("{\"type\": \"approve\"}")).statusCode())
        .isEqualTo(404);
    service.awaitState(jobId, "interrupted", Duration.ofSeconds(1));
  }

  @Test
  void ofConcurrentResumesExactlyOneContinuesTheJob() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/once.md", "once")),
        FakeLlmReply.text("Once."));
    service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}"));
    int contenders = 6;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(contenders)) {
      for (int i = 0; i < contenders; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return resume(jobId, decisions("{\"type\": \"approve\"}")).statusCode();
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) statuses.add(answer.get(30, TimeUnit.SECONDS));
      assertThat(statuses).containsOnly(202, 409).containsOnlyOnce(202);
    }
    service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    Thread.sleep(300);
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(results.forJob(jobId))
        .extracting(r -> r.event().path("type").asText())
        .containsExactly("dev.my-platform.agent.interrupted", "dev.my-platform.agent.completed");
  }

  @Test
  void aResumeCloudEventOnPostResumesLikeTheRoute() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/ce.md", "via event")),
        FakeLlmReply.text("Done by event."));
    service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}"));

    HttpResponse<String> resumed =
        service.post(
            "/",
            CloudEvents.resume(jobId, decisions("{\"type\": \"approve\"}")).toString(),
            "Content-Type",
            "application/cloudevents+json");

    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
    service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    HttpResponse<String> again =
        service.post(
            "/",
            CloudEvents.resume(jobId, decisions("{\"type\": \"approve\"}")).toString(),
            "Content-Type",
            "application/cloudevents+json");
    assertThat(again.statusCode()).isEqualTo(409);
  }

  @Test
  void aParkedJobExpiresWithOneFailedEventAndItsResumeIsRefused() throws Exception {
    start(Map.of("INTERRUPT_TTL_SECONDS", "1", "RETENTION_SWEEP_INTERVAL_SECONDS", "1"));
    String jobId = TestJobs.newJobId();
    llm.enqueue(FakeLlmReply.toolCall("w1", "write_file", writeArgs("/late.md", "late")));
    service.postCloudEvent(approvalJob(jobId, "{\"write_file\": true}"));

    JsonNode failed = service.awaitState(jobId, "failed", Duration.ofSeconds(10));

    assertThat(failed.path("error").path("type").asText()).isEqualTo("InterruptExpired");
    NatsTestKit.await(
        "the failed event", Duration.ofSeconds(10), () -> results.forJob(jobId).size() == 2);
    HttpResponse<String> late = resume(jobId, decisions("{\"type\": \"approve\"}"));
    assertThat(late.statusCode()).isEqualTo(409);
    Thread.sleep(1_500); // more sweeps: still one failed event
    assertThat(results.forJob(jobId))
        .extracting(ResultListener.Received::subject)
        .containsExactly(environment.interruptedSubject(), environment.failedSubject());
    assertThat(llm.requestCount()).isEqualTo(1);
    List<JsonNode> streamed = streamedEvents(jobId);
    JsonNode expiredEvent = streamed.get(streamed.size() - 2);
    assertThat(expiredEvent.path("event_type").asText())
        .as("a follower of the parked job hears it ended")
        .isEqualTo("error");
    assertThat(expiredEvent.path("data").path("context").asText()).isEqualTo("InterruptExpired");
    assertThat(expiredEvent.path("data").path("job_id").asText()).isEqualTo(jobId);
    assertThat(streamed.getLast().path("event_type").asText()).isEqualTo("end");
    assertThat(streamed)
        .extracting(event -> event.path("event_type").asText())
        .containsSubsequence("on_interrupt", "end", "error", "end");
  }

  @Test
  void anInterruptInsideASubagentParksTheJobAndItsResumeRunsOnlyThatCall() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    ObjectNode job =
        TestJobs.job(
            jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "delegate the report");
    ArrayNode nodes = (ArrayNode) job.path("agent_definition").path("nodes");
    ObjectNode writer = nodes.addObject().put("id", "writer").put("type", "specialist");
    ObjectNode config =
        writer
            .putObject("config")
            .put("name", "writer")
            .put("description", "Writes files")
            .put("system_prompt", "You write.");
    config.putObject("model").put("provider", "openai").put("model", "writer-model");
    config.set("interrupt_on", Json.parse("{\"write_file\": true}"));
    config.putArray("tools");
    llm.enqueue(
        FakeLlmReply.toolCall(
            "task1", "task", "{\"subagent_type\":\"writer\",\"description\":\"write it\"}"),
        FakeLlmReply.toolCall("sw1", "write_file", writeArgs("/sub.md", "from the writer")),
        FakeLlmReply.text("written by the writer"),
        FakeLlmReply.text("The writer is done."));

    HttpResponse<String> parked = service.postCloudEvent(job);

    JsonNode interrupt = Json.parse(parked.body()).path("data").path("interrupts").get(0);
    assertThat(interrupt.path("namespace").asText()).isEqualTo("task:task1");
    assertThat(interrupt.path("node").asText()).isEqualTo("writer");
    assertThat(interrupt.path("id").asText()).isEqualTo("task:task1|sw1");
    assertThat(llm.requestCount()).isEqualTo(2);

    assertThat(resume(jobId, decisions("{\"type\": \"approve\"}")).statusCode()).isEqualTo(202);

    JsonNode done = service.awaitState(jobId, "completed", Duration.ofSeconds(15));
    assertThat(done.path("result").path("output").asText()).isEqualTo("The writer is done.");
    assertThat(llm.requestCount()).isEqualTo(4);
    assertThat(llm.requests().get(2).model()).isEqualTo("writer-model");
    assertThat(llm.requests().get(3).model()).isEqualTo("gpt-4o-mini");
  }
}
