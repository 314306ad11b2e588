package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.nats.client.api.ConsumerInfo;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The service on real PostgreSQL, Redis and NATS JetStream, each test with its own schema, key
 * prefix, streams and subjects: the delivery guarantees of the issue, end to end.
 */
@Tag("integration")
class DurableEndToEndTest {
  private final DurableEnvironment environment = new DurableEnvironment();
  private ServiceHarness service;
  private ResultListener results;

  private void start() throws Exception {
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

  @Test
  void aPostedJobIsCheckpointedInPostgresStreamedToRedisAndPublishedOnNats() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    List<String> channel = new CopyOnWriteArrayList<>();
    RedisClient redis = RedisClient.create(RedisTestKit.SHARED_URI);
    try (StatefulRedisPubSubConnection<String, String> pubsub = redis.connectPubSub()) {
      pubsub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
              channel.add(message);
            }
          });
      pubsub.sync().subscribe(environment.redisChannel(jobId));

      HttpResponse<String> response =
          service.postCloudEvent(
              TestJobs.threeStepScripted(jobId),
              "traceparent",
              "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      assertThat(response.statusCode()).isEqualTo(200);

      ResultListener.Received completed = results.awaitOne(jobId, Duration.ofSeconds(10));
      assertThat(completed.subject()).isEqualTo(environment.completedSubject());
      assertThat(completed.msgId()).isEqualTo(jobId + "-completed");
      JsonNode event = completed.event();
      assertThat(event.path("specversion").asText()).isEqualTo("1.0");
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertThat(event.path("source").asText()).isEqualTo("agent-executor-service");
      assertThat(event.path("subject").asText()).isEqualTo(jobId);
      assertThat(event.path("traceparent").asText())
          .startsWith("00-0af7651916cd43dd8448eb211c80319c-");
      assertThat(event.path("data").path("result").path("output").asText())
          .isEqualTo("The answer is in /answer.md.");

      Object checkpoints =
          PostgresTestSchema.queryValue(
              "select count(*) from " + environment.schema + ".checkpoints where thread_id = ?",
              jobId);
      assertThat(((Number) checkpoints).longValue()).isGreaterThanOrEqualTo(2);
      NatsTestKit.await(
          "the channel's end event",
          Duration.ofSeconds(5),
          () ->
              !channel.isEmpty()
                  && Json.parse(channel.get(channel.size() - 1))
                      .path("event_type")
                      .asText()
                      .equals("end"));
      assertThat(Json.parse(channel.get(0)).fieldNames())
          .toIterable()
          .containsExactly("event_type", "data");
      assertThat(Json.parse(service.get("/state/" + jobId).body()).path("status").asText())
          .isEqualTo("completed");
    } finally {
      redis.shutdown();
    }
  }

  @Test
  void aJobPublishedToNatsIsRunAnsweredAndAcked() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    results.publishJob(environment.jobSubject("test"), TestJobs.threeStepScripted(jobId));

    ResultListener.Received completed = results.awaitOne(jobId, Duration.ofSeconds(10));

    assertThat(completed.event().path("type").asText())
        .isEqualTo("dev.my-platform.agent.completed");
    NatsTestKit.await(
        "the message acked",
        Duration.ofSeconds(5),
        () -> {
          ConsumerInfo info =
              results
                  .connection()
                  .jetStreamManagement()
                  .getConsumerInfo(environment.jobStream, environment.consumer());
          return info.getNumAckPending() == 0 && info.getNumPending() == 0;
        });
    assertThat(service.get("/metrics").body())
        .contains("agent_executor_nats_messages_processed_total 1.0");
  }

  @Test
  void aFailingJobAndAMalformedMessageGetFailedEventsAndTheNextJobStillRuns() throws Exception {
    start();
    String failingId = TestJobs.newJobId();
    ObjectNode failing =
        TestJobs.job(
            failingId,
            TestJobs.orchestrator("scripted", "scripted", Json.MAPPER.createArrayNode()),
            "fail");
    results.publishJob(environment.jobSubject("fail"), failing);
    String malformedId = "malformed-" + environment.id;
    ObjectNode malformed = Json.object().put("job_id", malformedId).put("trace_id", "t");
    results.publishJob(environment.jobSubject("bad"), malformed);
    results
        .connection()
        .jetStream()
        .publish(
            environment.jobSubject("junk"), "{this is not json".getBytes(StandardCharsets.UTF_8));
    String goodId = TestJobs.newJobId();
    results.publishJob(environment.jobSubject("good"), TestJobs.threeStepScripted(goodId));

    JsonNode failed = results.awaitOne(failingId, Duration.ofSeconds(10)).event();
    assertThat(failed.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    assertThat(failed.path("data").path("error").path("type").asText()).isEqualTo("ModelError");
    assertThat(failed.path("data").path("error").path("message").asText())
        .contains("scripted model has no response");

    ResultListener.Received rejected = results.awaitOne(malformedId, Duration.ofSeconds(10));
    assertThat(rejected.subject()).isEqualTo(environment.failedSubject());
    assertThat(rejected.event().path("data").path("error").path("type").asText())
        .isEqualTo("ValidationError");
    assertThat(rejected.event().path("data").path("error").path("message").asText())
        .contains("$.agent_definition", "$.input_payload");

    assertThat(results.awaitOne(goodId, Duration.ofSeconds(10)).event().path("type").asText())
        .isEqualTo("dev.my-platform.agent.completed");
    NatsTestKit.await(
        "every message settled",
        Duration.ofSeconds(5),
        () -> {
          ConsumerInfo info =
              results
                  .connection()
                  .jetStreamManagement()
                  .getConsumerInfo(environment.jobStream, environment.consumer());
          return info.getNumAckPending() == 0 && info.getNumPending() == 0;
        });
    String metrics = service.get("/metrics").body();
    assertThat(metrics).contains("agent_executor_nats_messages_failed_total 2.0");
  }

  @Test
  void aRedeliveredCompletedJobRepublishesItsStoredResultAndRunsNothing() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    ObjectNode job = TestJobs.threeStepScripted(jobId);
    results.publishJob(environment.jobSubject("once"), job);
    JsonNode first = results.awaitOne(jobId, Duration.ofSeconds(10)).event();
    Object checkpointsBefore =
        PostgresTestSchema.queryValue(
            "select count(*) from " + environment.schema + ".checkpoints where thread_id = ?",
            jobId);

    results.publishJob(environment.jobSubject("again"), job);
    NatsTestKit.await(
        "the redelivery settled",
        Duration.ofSeconds(10),
        () -> {
          ConsumerInfo info =
              results
                  .connection()
                  .jetStreamManagement()
                  .getConsumerInfo(environment.jobStream, environment.consumer());
          return info.getNumAckPending() == 0
              && info.getNumPending() == 0
              && info.getDelivered().getStreamSequence() == 2;
        });

    Object checkpointsAfter =
        PostgresTestSchema.queryValue(
            "select count(*) from " + environment.schema + ".checkpoints where thread_id = ?",
            jobId);
    assertThat(checkpointsAfter).isEqualTo(checkpointsBefore);
    NatsTestKit.await(
        "the republished result", Duration.ofSeconds(5), () -> results.forJob(jobId).size() == 2);
    assertThat(results.forJob(jobId).get(1).event()).isEqualTo(first);
    var stream = results.connection().jetStreamManagement().getStreamInfo(environment.resultStream);
    assertThat(stream.getStreamState().getMsgCount())
        .as("deduplicated by Nats-Msg-Id")
        .isEqualTo(1);
    assertThat(service.get("/metrics").body())
        .contains("agent_executor_jobs_total{status=\"completed\"} 1.0");
  }

  @Test
  void clientsThatJoinAfterTheJobEndedStillGetEveryEventOnceInOrder() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    assertThat(service.postCloudEvent(TestJobs.slowScripted(jobId, 3, 10)).statusCode())
        .isEqualTo(200);

    List<JsonNode> viaWebSocket =
        service.webSocket("/stream/" + jobId).awaitClose(Duration.ofSeconds(10));
    HttpResponse<String> sse =
        service.get("/stream/" + jobId + "/events", "Accept", "text/event-stream");
    List<JsonNode> viaSse =
        sse.body()
            .lines()
            .filter(l -> l.startsWith("data:"))
            .map(l -> Json.parse(l.substring(5).strip()))
            .toList();

    assertThat(viaWebSocket).isEqualTo(viaSse);
    assertThat(viaWebSocket)
        .extracting(e -> e.path("event_type").asText())
        .endsWith("end")
        .filteredOn("end"::equals)
        .hasSize(1);
    assertThat(viaWebSocket)
        .extracting(e -> e.path("event_type").asText())
        .filteredOn("on_state_update"::equals)
        .hasSize(7);
    List<String> ids =
        sse.body()
            .lines()
            .filter(l -> l.startsWith("id:"))
            .map(l -> l.substring(3).strip())
            .toList();
    assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> compareStreamIds(a, b));
  }

  private static int compareStreamIds(String a, String b) {
    String[] x = a.split("-");
    String[] y = b.split("-");
    int major = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return major != 0 ? major : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }
}
