package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Threads on real PostgreSQL, Redis and NATS: several runs (jobs) on one conversation, each
 * starting from the last one's messages, files and todos, streaming to the thread's channel; /state
 * by thread and by job; the thread's history in pages; a fork from an earlier checkpoint into a new
 * thread; and a thread that belongs to another tenant.
 */
@Tag("integration")
class ThreadsDurableTest {
  private static final String ACME = "acme-token-0123456789abcdef";
  private static final String GLOBEX = "globex-token-0123456789abcdef";

  /**
   * One conversation-wide script: the scripted model answers by the number of assistant messages in
   * the conversation, so each run on the thread takes the next responses.
   */
  private static final String SCRIPT =
      """
      [{"tool_calls": [
         {"name": "write_todos", "args": {"todos": [{"content": "reply", "status": "in_progress"}]}},
         {"name": "write_file", "args": {"file_path": "/notes.md", "content": "turn one"}}]},
       {"content": "First answer."},
       {"tool_calls": [{"name": "write_file", "args": {"file_path": "/second.md", "content": "turn two"}}]},
       {"content": "Second answer."},
       {"content": "Third answer."}]""";

  private final DurableEnvironment environment =
      new DurableEnvironment().with("API_TOKENS", ACME + "=acme," + GLOBEX + "=globex");
  private final String threadId = "thread-" + UUID.randomUUID();
  private ServiceHarness service;
  private ResultListener results;

  @BeforeEach
  void start() throws Exception {
    results = new ResultListener(environment.subjectPrefix);
    service = ServiceHarness.start(environment.env());
    NatsTestKit.await(
        "service ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    if (results != null) results.close();
    environment.close();
  }

  private static ObjectNode job(String jobId, String threadId, String instructions) {
    ObjectNode job =
        TestJobs.job(
            jobId,
            TestJobs.orchestrator("scripted", "scripted", (ArrayNode) Json.parse(SCRIPT)),
            instructions);
    if (threadId != null) job.put("thread_id", threadId);
    return job;
  }

  private HttpResponse<String> post(JsonNode job, String token) {
    return service.postCloudEvent(job, "Authorization", "Bearer " + token);
  }

  private HttpResponse<String> get(String path, String token) {
    return service.get(path, "Authorization", "Bearer " + token);
  }

  private JsonNode getJson(String path) {
    HttpResponse<String> response = get(path, ACME);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  /** Runs two jobs on the thread and returns their ids. */
  private List<String> twoRuns() {
    String first = TestJobs.newJobId();
    String second = TestJobs.newJobId();
    HttpResponse<String> one = post(job(first, threadId, "First question."), ACME);
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    assertThat(Json.parse(one.body()).path("data").path("thread_id").asText()).isEqualTo(threadId);
    HttpResponse<String> two = post(job(second, threadId, "Second question."), ACME);
    assertThat(two.statusCode()).as(two.body()).isEqualTo(200);
    JsonNode completed = Json.parse(two.body());
    assertThat(completed.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(completed.path("data").path("result").path("output").asText())
        .isEqualTo("Second answer.");
    return List.of(first, second);
  }

  @Test
  void twoRunsOnOneThreadShareItsConversationAndStreamToItsChannelEachWithItsEnd()
      throws Exception {
    List<String> channel = new CopyOnWriteArrayList<>();
    RedisClient redis = RedisClient.create(RedisTestKit.SHARED_URI);
    List<String> jobs;
    try (StatefulRedisPubSubConnection<String, String> pubsub = redis.connectPubSub()) {
      pubsub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
              channel.add(message);
            }
          });
      pubsub.sync().subscribe(environment.redisChannel(threadId));
      jobs = twoRuns();
      NatsTestKit.await(
          "both runs' end events on the thread's channel",
          Duration.ofSeconds(5),
          () -> channel.stream().filter(m -> m.contains("\"end\"")).count() == 2);
    } finally {
      redis.shutdown();
    }
    String first = jobs.get(0);
    String second = jobs.get(1);

    List<JsonNode> events = channel.stream().map(Json::parse).toList();
    assertThat(events)
        .allSatisfy(e -> assertThat(e.path("data").path("job_id").asText()).isIn(first, second));
    assertThat(events)
        .filteredOn(e -> e.path("event_type").asText().equals("end"))
        .extracting(e -> e.path("data").path("job_id").asText())
        .containsExactly(first, second);
    int firstEnd = indexOfEnd(events, first);
    assertThat(events.subList(0, firstEnd))
        .allSatisfy(e -> assertThat(e.path("data").path("job_id").asText()).isEqualTo(first));
    JsonNode secondStart =
        events.subList(firstEnd + 1, events.size()).stream()
            .filter(e -> e.path("event_type").asText().equals("on_state_update"))
            .findFirst()
            .orElseThrow();
    assertThat(secondStart.path("data").path("snapshot").asBoolean()).isTrue();
    assertThat(secondStart.path("data").path("messages").toString())
        .contains("First question.", "First answer.", "Second question.");
    assertThat(secondStart.path("data").path("todos")).hasSize(1);
    assertThat(secondStart.path("data").path("files").has("/notes.md")).isTrue();

    JsonNode thread = getJson("/state/" + threadId);
    assertThat(thread.path("thread_id").asText()).isEqualTo(threadId);
    assertThat(thread.path("job_id").asText()).isEqualTo(second);
    assertThat(thread.path("status").asText()).isEqualTo("completed");
    assertThat(thread.path("result").path("output").asText()).isEqualTo("Second answer.");
    assertThat(thread.path("generated_files").has("/notes.md")).isTrue();
    assertThat(thread.path("generated_files").has("/second.md")).isTrue();
    JsonNode byJob = getJson("/deepagents-runtime/state/" + first);
    assertThat(byJob.path("thread_id").asText()).isEqualTo(threadId);
    assertThat(byJob.path("job_id").asText()).isEqualTo(first);
    assertThat(byJob.path("result").path("output").asText()).isEqualTo("First answer.");
    assertThat(byJob.path("generated_files").has("/notes.md")).isTrue();
    assertThat(byJob.path("generated_files").has("/second.md"))
        .as("the files as the first run left them")
        .isFalse();
    JsonNode firstResult = results.awaitOne(first, Duration.ofSeconds(5)).event();
    assertThat(firstResult.path("data").path("thread_id").asText()).isEqualTo(threadId);
  }

  private static int indexOfEnd(List<JsonNode> events, String jobId) {
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (e.path("event_type").asText().equals("end")
          && e.path("data").path("job_id").asText().equals(jobId)) return i;
    }
    throw new AssertionError("no end of " + jobId);
  }

  @Test
  void aStreamOfTheThreadGoesThroughTheFirstRunsEndAndStopsAfterTheLast() {
    List<String> jobs = twoRuns();

    HttpResponse<String> replay = get("/stream/" + threadId + "/events", ACME);
    List<JsonNode> events = sseEvents(replay.body());
    HttpResponse<String> byJob = get("/stream/" + jobs.get(0) + "/events", ACME);

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(events)
        .filteredOn(e -> e.path("event_type").asText().equals("end"))
        .extracting(e -> e.path("data").path("job_id").asText())
        .containsExactlyElementsOf(jobs);
    assertThat(events.getLast().path("event_type").asText()).isEqualTo("end");
    assertThat(sseEvents(byJob.body())).as("a job's id streams its thread").hasSize(events.size());
    String lastId = lastSseId(replay.body());
    assertThat(
            service
                .get(
                    "/stream/" + threadId + "/events",
                    "Authorization",
                    "Bearer " + ACME,
                    "Last-Event-ID",
                    lastId)
                .statusCode())
        .as("a reconnect after the last run's end")
        .isEqualTo(204);
  }

  private static List<JsonNode> sseEvents(String body) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) events.add(Json.parse(line.substring(6)));
    }
    return events;
  }

  private static String lastSseId(String body) {
    String last = null;
    for (String line : body.split("\n")) if (line.startsWith("id: ")) last = line.substring(4);
    return last;
  }

  @Test
  void theHistoryListsTheThreadsCheckpointsNewestFirstInPages() throws Exception {
    List<String> jobs = twoRuns();
    long stored =
        ((Number)
                PostgresTestSchema.queryValue(
                    "select count(*) from "
                        + environment.schema
                        + ".checkpoints where thread_id = ?",
                    threadId))
            .longValue();

    List<JsonNode> all = new ArrayList<>();
    String before = null;
    int pages = 0;
    do {
      JsonNode page =
          getJson(
              "/deepagents-runtime/threads/"
                  + threadId
                  + "/history?limit=2"
                  + (before == null ? "" : "&before=" + before));
      assertThat(page.path("thread_id").asText()).isEqualTo(threadId);
      assertThat(page.path("checkpoints").size()).isBetween(1, 2);
      page.path("checkpoints").forEach(all::add);
      before = page.path("next_before").isNull() ? null : page.path("next_before").asText();
      pages++;
    } while (before != null);

    assertThat(all).hasSize((int) stored);
    assertThat(pages).isEqualTo((int) ((stored + 1) / 2));
    List<String> ids = all.stream().map(c -> c.path("checkpoint_id").asText()).toList();
    assertThat(ids)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder())
        .doesNotHaveDuplicates();
    assertThat(all.getFirst().path("job_id").asText()).isEqualTo(jobs.get(1));
    assertThat(all.getLast().path("job_id").asText()).isEqualTo(jobs.get(0));
    assertThat(all.getLast().path("parent_checkpoint_id").isNull()).isTrue();
    assertThat(all.getFirst().path("node").asText()).isEqualTo("model");
    assertThat(all.get(1).path("node").asText()).isEqualTo("tools");
    assertThat(all.getFirst().path("namespace").asText()).isEmpty();
    assertThat(all.getFirst().path("step").asInt()).isEqualTo(all.get(1).path("step").asInt() + 1);
    assertThat(all.getFirst().path("parent_checkpoint_id").asText()).isEqualTo(ids.get(1));
    assertThat(all.getFirst().path("created_at").asText()).endsWith("Z");
    JsonNode whole = getJson("/threads/" + threadId + "/history");
    assertThat(whole.path("checkpoints")).hasSize((int) stored);
    assertThat(whole.path("next_before").isNull()).isTrue();

    assertThat(get("/threads/unknown-thread/history", ACME).statusCode()).isEqualTo(404);
    assertThat(get("/threads/" + threadId + "/history", GLOBEX).statusCode())
        .as("another tenant's thread")
        .isEqualTo(404);
    HttpResponse<String> badLimit = get("/threads/" + threadId + "/history?limit=0", ACME);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.body()).contains("QUERY_PARAMETER");
    assertThat(get("/threads/" + threadId + "/history?limit=201", ACME).statusCode())
        .isEqualTo(400);
    assertThat(get("/threads/" + threadId + "/history?before=%24bad", ACME).statusCode())
        .isEqualTo(400);
  }

  @Test
  void aForkStartsANewThreadFromAnEarlierCheckpointAndLeavesTheOriginalAlone() throws Exception {
    List<String> jobs = twoRuns();
    JsonNode history = getJson("/threads/" + threadId + "/history");
    String endOfFirstRun =
        java.util.stream.StreamSupport.stream(history.path("checkpoints").spliterator(), false)
            .filter(c -> c.path("job_id").asText().equals(jobs.get(0)))
            .findFirst()
            .orElseThrow()
            .path("checkpoint_id")
            .asText();
    String forkId = TestJobs.newJobId();
    ObjectNode fork = job(forkId, threadId, "Another second question.");
    fork.put("checkpoint_id", endOfFirstRun);

    HttpResponse<String> forked = post(fork, ACME);

    assertThat(forked.statusCode()).as(forked.body()).isEqualTo(200);
    JsonNode data = Json.parse(forked.body()).path("data");
    assertThat(data.path("thread_id").asText()).isEqualTo(forkId);
    JsonNode forkState = getJson("/state/" + forkId);
    assertThat(forkState.path("thread_id").asText()).isEqualTo(forkId);
    assertThat(forkState.path("status").asText()).isEqualTo("completed");
    assertThat(forkState.path("generated_files").path("/notes.md").toString()).contains("turn one");
    List<JsonNode> forkEvents = sseEvents(get("/stream/" + forkId + "/events", ACME).body());
    JsonNode firstSnapshot =
        forkEvents.stream()
            .filter(e -> e.path("event_type").asText().equals("on_state_update"))
            .findFirst()
            .orElseThrow();
    assertThat(firstSnapshot.path("data").path("messages").toString())
        .contains("First question.", "First answer.", "Another second question.")
        .doesNotContain("Second question.", "Second answer.");
    assertThat(getJson("/threads/" + threadId + "/history").path("checkpoints"))
        .as("the original thread is untouched")
        .hasSize(history.path("checkpoints").size());
    assertThat(getJson("/state/" + threadId).path("job_id").asText()).isEqualTo(jobs.get(1));
    JsonNode forkNewest = getJson("/threads/" + forkId + "/history").path("checkpoints").get(0);
    assertThat(forkNewest.path("job_id").asText()).isEqualTo(forkId);
  }

  @Test
  void aForkFromAnUnknownCheckpointIsRefusedWithAFailedEvent() throws Exception {
    twoRuns();
    String forkId = TestJobs.newJobId();
    ObjectNode fork = job(forkId, threadId, "Again.");
    fork.put("checkpoint_id", "no-such-checkpoint");

    HttpResponse<String> refused = post(fork, ACME);
    HttpResponse<String> otherTenants = post(fork.deepCopy().put("job_id", forkId + "-g"), GLOBEX);
    ObjectNode noThread = job(TestJobs.newJobId(), null, "Again.");
    noThread.put("checkpoint_id", "cp");

    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.body()).contains("CHECKPOINT_NOT_FOUND", "$.checkpoint_id");
    assertThat(otherTenants.statusCode())
        .as("another tenant's thread: as unknown, or unavailable")
        .isIn(404, 409);
    JsonNode failed = results.awaitOne(forkId, Duration.ofSeconds(5)).event();
    assertThat(failed.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    assertThat(failed.path("data").path("error").path("type").asText())
        .isEqualTo("CHECKPOINT_NOT_FOUND");
    HttpResponse<String> invalid = post(noThread, ACME);
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).contains("JOB_FORK_THREAD");
    assertThat(get("/state/" + forkId, ACME).statusCode()).as("nothing ran").isEqualTo(404);
  }

  @Test
  void aJobMayNotJoinAnotherTenantsThread() throws Exception {
    twoRuns();
    String intruder = TestJobs.newJobId();

    HttpResponse<String> refused = post(job(intruder, threadId, "Let me in."), GLOBEX);

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("THREAD_UNAVAILABLE");
    JsonNode failed = results.awaitOne(intruder, Duration.ofSeconds(5)).event();
    assertThat(failed.path("data").path("error").path("type").asText())
        .isEqualTo("THREAD_UNAVAILABLE");
    assertThat(get("/state/" + threadId, GLOBEX).statusCode()).isEqualTo(404);
    assertThat(getJson("/threads/" + threadId + "/history").path("checkpoints").toString())
        .doesNotContain(intruder);
    HttpResponse<String> invoked =
        service.post(
            "/invoke",
            job(TestJobs.newJobId(), threadId, "Let me in.").toString(),
            "Authorization",
            "Bearer " + GLOBEX);
    assertThat(invoked.statusCode()).isEqualTo(409);
  }
}
