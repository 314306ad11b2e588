package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.LangGraphSaver;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Threads that LangGraph's own PostgreSQL saver wrote into the shared tables: the service answers a
 * clear 409 CHECKPOINT_INCOMPATIBLE problem for /state and fails a job on such a thread with that
 * error, once, instead of a 500 or a Jackson error; and LangGraph's saver cannot read what this
 * service writes (the documented limit of the compatibility).
 */
@Tag("integration")
class ForeignCheckpointTest {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("foreign");
  private static ServiceHarness service;

  @BeforeAll
  static void start() {
    service =
        ServiceHarness.start(
            Map.of(
                "POSTGRES_HOST", PostgresTestSchema.HOST,
                "POSTGRES_PORT", Integer.toString(PostgresTestSchema.PORT),
                "POSTGRES_DB", PostgresTestSchema.DATABASE,
                "POSTGRES_USER", PostgresTestSchema.USER,
                "POSTGRES_SCHEMA", PG.schema()));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static void assertIncompatibleProblem(HttpResponse<String> response, String threadId) {
    assertThat(response.statusCode()).isEqualTo(409);
    JsonNode body = Json.parse(response.body());
    assertThat(body.path("error").asText()).isEqualTo("checkpoint_incompatible");
    assertThat(body.path("job_id").asText()).isEqualTo(threadId);
    assertThat(body.path("message").asText())
        .startsWith("thread '" + threadId + "' has a checkpoint this service cannot read");
    JsonNode problem = body.path("problems").path(0);
    assertThat(problem.path("code").asText()).isEqualTo("CHECKPOINT_INCOMPATIBLE");
    assertThat(problem.path("message").asText())
        .contains(
            "LangGraph's own saver", "LangChain serialized objects (HumanMessage, AIMessage)");
  }

  @Test
  void stateOfAThreadWrittenByLangGraphIsA409NamingTheIncompatibility() throws SQLException {
    String threadId = TestJobs.newJobId();
    LangGraphSaver.insertCapturedThread(PG.schema(), threadId);

    assertIncompatibleProblem(service.get("/state/" + threadId), threadId);
    assertIncompatibleProblem(service.get("/deepagents-runtime/state/" + threadId), threadId);
  }

  @Test
  void aJobOnSuchAThreadFailsOnceWithThatErrorAndLeavesLangGraphsRowsAlone() throws SQLException {
    String threadId = TestJobs.newJobId();
    LangGraphSaver.insertCapturedThread(PG.schema(), threadId);

    JsonNode event =
        Json.parse(service.postCloudEvent(TestJobs.threeStepScripted(threadId)).body());

    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    JsonNode error = event.path("data").path("error");
    assertThat(error.path("type").asText()).isEqualTo("CheckpointIncompatible");
    assertThat(error.path("message").asText())
        .contains("cannot read", "LangGraph's own saver", "checkpoint format v=4");
    assertThat(error.path("stack_trace").asText("")).isEmpty();
    assertThat(
            PostgresTestSchema.queryValue(
                "SELECT count(*) FROM " + PG.schema() + ".checkpoints WHERE thread_id = ?",
                threadId))
        .isEqualTo(3L);

    JsonNode again =
        Json.parse(service.postCloudEvent(TestJobs.threeStepScripted(threadId)).body());
    assertThat(again.path("id").asText())
        .isEqualTo(event.path("id").asText()); // the stored result, not a new run
    assertIncompatibleProblem(service.get("/state/" + threadId), threadId);
  }

  @Test
  void theLiveLangGraphSaverWritesThreadsTheServiceRefusesAndCannotReadTheServicesThreads()
      throws SQLException {
    assumeTrue(
        LangGraphSaver.installed(),
        "node and npm (or an installed src/test/node/langgraph-compat) are needed");
    String foreign = TestJobs.newJobId();

    assertThat(LangGraphSaver.writeThread(PG.schema(), foreign).path("ok").asBoolean())
        .isTrue(); // runs setup() first
    assertThat(
            PostgresTestSchema.queryColumn(
                "SELECT v::text FROM " + PG.schema() + ".checkpoint_migrations ORDER BY v"))
        .containsExactly(
            "0", "1", "2", "3", "4", "5", "6", "7", "8",
            "9"); // setup() found our migrations complete
    assertIncompatibleProblem(service.get("/state/" + foreign), foreign);

    String ours = TestJobs.newJobId();
    assertThat(
            Json.parse(service.postCloudEvent(TestJobs.threeStepScripted(ours)).body())
                .path("type")
                .asText())
        .isEqualTo("dev.my-platform.agent.completed");
    JsonNode read = LangGraphSaver.readThread(PG.schema(), ours);
    assertThat(read.path("ok").asBoolean()).isFalse();
    assertThat(read.path("error").asText()).isEqualTo("Unknown serialization type: json-delta");

    // A thread of one checkpoint has no delta yet: readable, but as plain objects, without the
    // inline values.
    String oneStep = TestJobs.newJobId();
    var script = Json.MAPPER.createArrayNode();
    script.addObject().put("content", "Right away.");
    service.postCloudEvent(
        TestJobs.job(oneStep, TestJobs.orchestrator("scripted", "scripted", script), "Answer."));
    JsonNode first = LangGraphSaver.readThread(PG.schema(), oneStep);
    assertThat(first.path("ok").asBoolean()).isTrue();
    assertThat(first.path("channels").path("messages").toString())
        .isEqualTo("[\"Object\",\"Object\"]");
    assertThat(first.path("channels").has("usage")).isFalse();
    assertThat(first.path("channels").has("model_calls")).isFalse();
  }
}
