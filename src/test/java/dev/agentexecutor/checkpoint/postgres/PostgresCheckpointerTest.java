package dev.agentexecutor.checkpoint.postgres;

import static dev.agentexecutor.testkit.PostgresTestSchema.queryColumn;
import static dev.agentexecutor.testkit.PostgresTestSchema.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.CheckpointIncompatibleException;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.CheckpointerContract;
import dev.agentexecutor.checkpoint.SampleRun;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.testkit.LangGraphSaver;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.util.Json;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("integration")
class PostgresCheckpointerTest extends CheckpointerContract {
  @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("checkpointer");

  private static PostgresDatabase database;
  private static PostgresCheckpointer checkpointer;

  @BeforeAll
  static void connect() {
    database = PG.migrate().database();
    checkpointer = new PostgresCheckpointer(database);
  }

  @Override
  protected Checkpointer checkpointer() {
    return checkpointer;
  }

  /**
   * PostgreSQL refuses NUL in text and jsonb; a model may answer with one anywhere in the state.
   */
  @Test
  void aStateHoldingNulCharactersIsSavedAndReadBack() {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    Checkpoint put =
        run.change(
            state ->
                state
                    .withMessage(
                        dev.agentexecutor.core.state.Message.assistant(
                            "nul \u0000 here", List.of()))
                    .withTodos(
                        List.of(new dev.agentexecutor.core.state.Todo("todo \u0000", "pending")))
                    .withFile(
                        "/n\u0000.md",
                        dev.agentexecutor.core.state.FileData.of(
                            "a\u0000b", java.time.Instant.EPOCH)),
            Checkpoint.Next.DONE);

    Checkpoint read = checkpointer.latest(put.threadId(), "").orElseThrow();
    assertThat(read.state().toString().replace('\u0000', '\uFFFD'))
        .isEqualTo(put.state().toString().replace('\u0000', '\uFFFD'));
  }

  @Test
  void storageGrowsLinearlyWithSteps() throws SQLException {
    long bytes100 = storedBytesAfter(100);
    long bytes300 = storedBytesAfter(300);

    System.out.printf(
        "bytes per step: 10 steps %d, 100 steps %d, 300 steps %d%n",
        storedBytesAfter(10) / 10, bytes100 / 100, bytes300 / 300);
    assertThat((double) bytes300 / bytes100).isLessThan(3.6);
  }

  @Test
  void storageStaysLinearWhenEveryStepWritesANewFile() throws SQLException {
    long bytes100 = storedBytesAfter(100, true);
    long bytes300 = storedBytesAfter(300, true);

    assertThat((double) bytes300 / bytes100).isLessThan(3.6);
  }

  @Test
  void manyFilesWrittenEditedAndDeletedAreRebuiltExactly() {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    for (int i = 0; i < 60; i++) run.stepWithNewFile();
    Checkpoint last = run.deleteFile("/file-7.md");

    Checkpoint rebuilt =
        new PostgresCheckpointer(database).latest(last.threadId(), "").orElseThrow();

    assertThat(rebuilt.state().files())
        .hasSize(60)
        .doesNotContainKey("/file-7.md")
        .containsKey("/file-59.md");
    assertThat(rebuilt.state()).isEqualTo(run.state());
  }

  @Test
  void stateRebuiltAfterManyStepsEqualsTheStateInMemory() {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    Checkpoint last = null;
    for (int i = 0; i < 300; i++) last = run.step();

    Checkpoint rebuilt =
        new PostgresCheckpointer(database).latest(last.threadId(), "").orElseThrow();

    assertThat(rebuilt.state()).isEqualTo(run.state());
    assertThat(rebuilt).isEqualTo(last);
  }

  @Test
  void aStepStoresOnlyTheAppendedMessagesAndTheChangedFile() throws SQLException {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    Checkpoint step = run.step();

    List<String> written =
        queryColumn(
            "SELECT channel || ' ' || type FROM "
                + PG.schema()
                + ".checkpoint_blobs"
                + " WHERE thread_id = ? AND version = ? ORDER BY channel",
            step.threadId(),
            versionOf(step, StateChannels.MESSAGES));
    assertThat(written).containsExactly("files json-delta", "messages json-delta");
  }

  @Test
  void summarisationWritesAFullMessagesValue() throws SQLException {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    run.step();
    Checkpoint summarised = run.summarise();

    assertThat(messagesBlobType(summarised)).isEqualTo("json");
  }

  @Test
  void aRestartedCheckpointerContinuesWithDeltas() throws SQLException {
    SampleRun before = SampleRun.started(checkpointer, newThreadId());
    Checkpoint interrupted = before.step();

    PostgresCheckpointer restarted = new PostgresCheckpointer(database);
    SampleRun after = SampleRun.resume(restarted, interrupted);
    Checkpoint resumed = after.step();

    assertThat(restarted.latest(resumed.threadId(), "")).contains(resumed);
    assertThat(messagesBlobType(resumed)).isEqualTo("json-delta");
  }

  @Test
  void checkpointRowsKeepLangGraphsShape() throws SQLException {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    Checkpoint step = run.step();

    JsonNode document =
        Json.parse(
            (String)
                queryValue(
                    "SELECT checkpoint::text FROM "
                        + PG.schema()
                        + ".checkpoints WHERE thread_id = ? AND checkpoint_id = ?",
                    step.threadId(),
                    step.id()));
    JsonNode metadata =
        Json.parse(
            (String)
                queryValue(
                    "SELECT metadata::text FROM "
                        + PG.schema()
                        + ".checkpoints WHERE thread_id = ? AND checkpoint_id = ?",
                    step.threadId(),
                    step.id()));

    assertThat(document.properties())
        .extracting(Map.Entry::getKey)
        .contains(
            "v",
            "id",
            "ts",
            "channel_values",
            "channel_versions",
            "versions_seen",
            "pending_sends");
    assertThat(document.path("v").asInt()).isEqualTo(1);
    assertThat(document.path("id").asText()).isEqualTo(step.id());
    assertThat(document.path("channel_values").path("model_calls").asInt()).isEqualTo(1);
    document
        .path("channel_versions")
        .forEach(version -> assertThat(version.asText()).matches("\\d{32}\\.\\d{16}"));
    assertThat(metadata.path("source").asText()).isEqualTo("loop");
    assertThat(metadata.path("step").asInt()).isEqualTo(1);
    assertThat(metadata.has("parents")).isTrue();
  }

  @Test
  void langGraphsJoinFindsABlobForEveryStoredChannel() throws SQLException {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    Checkpoint step = run.step();

    // The join LangGraph's PostgresSaver uses to load channel values.
    List<String> channels =
        queryColumn(
            """
        SELECT bl.channel FROM %s.checkpoints c
        CROSS JOIN LATERAL jsonb_each_text(c.checkpoint -> 'channel_versions') v
        JOIN %s.checkpoint_blobs bl ON bl.thread_id = c.thread_id AND bl.checkpoint_ns = c.checkpoint_ns
             AND bl.channel = v.key AND bl.version = v.value
        WHERE c.thread_id = ? AND c.checkpoint_id = ? ORDER BY 1"""
                .formatted(PG.schema(), PG.schema()),
            step.threadId(),
            step.id());
    assertThat(channels).containsExactly("extra", "files", "messages", "todos");
  }

  @Test
  void aThreadWrittenByLangGraphsOwnSaverIsIncompatibleNamingWhatIsForeign() throws SQLException {
    String threadId = newThreadId();
    LangGraphSaver.insertCapturedThread(PG.schema(), threadId);

    assertThatThrownBy(() -> checkpointer.latest(threadId, ""))
        .isInstanceOfSatisfying(
            CheckpointIncompatibleException.class,
            e -> {
              assertThat(e.threadId()).isEqualTo(threadId);
              assertThat(e.getMessage())
                  .startsWith(
                      "thread '"
                          + threadId
                          + "' has a checkpoint this service cannot read (checkpoint ");
              assertThat(e.reason())
                  .startsWith("written by another checkpointer (such as LangGraph's own saver): ")
                  .contains("checkpoint format v=4 (this service writes v=1)")
                  .contains("channels __start__, branch:to:agent are not this service's")
                  .contains("the metadata has no 'next' step")
                  .contains("serializer type 'empty' (channel __start__, branch:to:agent)")
                  .contains("LangChain serialized objects (HumanMessage, AIMessage)");
            });
  }

  @Test
  void aDamagedCheckpointIsIncompatibleRatherThanADecodingError() throws SQLException {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    Checkpoint step = run.step();
    PostgresTestSchema.execute(
        "UPDATE "
            + PG.schema()
            + ".checkpoint_blobs SET blob = convert_to('{\"oops\": ', 'UTF8')"
            + " WHERE thread_id = '"
            + step.threadId()
            + "' AND channel = 'todos'");

    assertThatThrownBy(() -> new PostgresCheckpointer(database).latest(step.threadId(), ""))
        .isInstanceOfSatisfying(
            CheckpointIncompatibleException.class,
            e ->
                assertThat(e.reason())
                    .startsWith(
                        "its data cannot be decoded: UncheckedIOException: cannot read channel todos at "));
  }

  @Test
  void putTakesAFewMillisecondsAtMost() {
    SampleRun run = SampleRun.started(checkpointer, newThreadId());
    for (int i = 0; i < 100; i++)
      run.step(); // warm up the JIT and the server-side prepared statement
    int puts = 300;
    long started = System.nanoTime();
    for (int i = 0; i < puts; i++) run.step();
    long micros = (System.nanoTime() - started) / 1_000 / puts;

    System.out.printf(
        "put latency: %d µs per step (state with %d messages)%n",
        micros, run.state().messages().size());
    assertThat(micros).isLessThan(20_000);
  }

  private static long storedBytesAfter(int steps) throws SQLException {
    return storedBytesAfter(steps, false);
  }

  private static long storedBytesAfter(int steps, boolean newFileEachStep) throws SQLException {
    SampleRun run = new SampleRun(checkpointer, newThreadId(), "");
    Checkpoint last = run.start();
    for (int i = 0; i < steps; i++) last = newFileEachStep ? run.stepWithNewFile() : run.step();
    String schema = PG.schema();
    Object bytes =
        queryValue(
            """
        SELECT (SELECT coalesce(sum(octet_length(blob)), 0) FROM %s.checkpoint_blobs WHERE thread_id = ?)
             + (SELECT coalesce(sum(octet_length(checkpoint::text) + octet_length(metadata::text)), 0)
                FROM %s.checkpoints WHERE thread_id = ?)"""
                .formatted(schema, schema),
            last.threadId(),
            last.threadId());
    return ((Number) bytes).longValue();
  }

  /** How the checkpoint's messages value was stored: a full value or a delta. */
  private static Object messagesBlobType(Checkpoint checkpoint) throws SQLException {
    return queryValue(
        "SELECT type FROM "
            + PG.schema()
            + ".checkpoint_blobs"
            + " WHERE thread_id = ? AND channel = 'messages' AND version = ?",
        checkpoint.threadId(),
        versionOf(checkpoint, StateChannels.MESSAGES));
  }

  private static String versionOf(Checkpoint checkpoint, String channel) throws SQLException {
    return (String)
        queryValue(
            "SELECT checkpoint -> 'channel_versions' ->> ? FROM "
                + PG.schema()
                + ".checkpoints WHERE thread_id = ? AND checkpoint_id = ?",
            channel,
            checkpoint.threadId(),
            checkpoint.id());
  }
}
