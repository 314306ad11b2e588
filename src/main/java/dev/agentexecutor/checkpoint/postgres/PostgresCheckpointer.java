package dev.agentexecutor.checkpoint.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.CheckpointIncompatibleException;
import dev.agentexecutor.checkpoint.CheckpointSummary;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.PendingWrite;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.postgres.PostgresText;
import dev.agentexecutor.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checkpoints in LangGraph's PostgreSQL tables, each channel stored incrementally in {@code
 * checkpoint_blobs} so that a thread's storage grows linearly with its steps (see
 * docs/checkpoints.md). A put is one SQL statement, hence one transaction and one round trip.
 */
public final class PostgresCheckpointer implements Checkpointer {
  /** How many threads' last states are kept to diff the next put against without a read. */
  public static final int DEFAULT_RECENT_THREADS = 4_096;

  /** The changed blobs and the checkpoint row, written by one statement so both or neither land. */
  private static final String PUT_SQL =
      """
      WITH blobs AS (
          INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
          SELECT ?, ?, b.channel, b.version, b.type, b.blob
          FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) AS b(channel, version, type, blob)
          ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
      )
      INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
      VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
      DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata""";

  private static final String SELECT_CHECKPOINT =
      """
      SELECT checkpoint_id, parent_checkpoint_id, checkpoint::text, metadata::text
      FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ?""";
  private static final String LATEST_SQL =
      SELECT_CHECKPOINT + " ORDER BY checkpoint_id DESC LIMIT 1";
  private static final String BY_ID_SQL = SELECT_CHECKPOINT + " AND checkpoint_id = ?";

  /**
   * The current blob of each channel, plus every messages and files blob a delta chain may need.
   */
  private static final String BLOBS_SQL =
      """
      SELECT b.channel, b.version, b.type, b.blob
      FROM checkpoint_blobs b
      WHERE b.thread_id = ? AND b.checkpoint_ns = ?
        AND ((b.channel = 'messages' AND b.version <= ?)
          OR (b.channel = 'files' AND b.version <= ?)
          OR (b.channel NOT IN ('messages', 'files')
              AND (b.channel, b.version) IN (SELECT key, value FROM jsonb_each_text(?::jsonb))))""";

  /** A page of the thread's history: no state, only what the row itself says. */
  private static final String HISTORY_SQL =
      """
      SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, metadata->>'step',
             metadata->>'next', checkpoint->>'ts', metadata->>'job_id'
      FROM checkpoints
      WHERE thread_id = ? AND (?::text IS NULL OR checkpoint_id < ?)
      ORDER BY checkpoint_id DESC LIMIT ?""";

  private static final String DELETE_THREAD_SQL =
      """
      WITH writes AS (DELETE FROM checkpoint_writes WHERE thread_id = ?),
           blobs AS (DELETE FROM checkpoint_blobs WHERE thread_id = ?),
           rows AS (DELETE FROM checkpoints WHERE thread_id = ? RETURNING 1)
      SELECT count(*) FROM rows""";

  private static final String PUT_WRITE_SQL =
      """
      INSERT INTO checkpoint_writes
          (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
      VALUES (?, ?, ?, ?, ?, ?, 'json', ?)
      ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING""";

  private static final String WRITES_SQL =
      """
      SELECT task_id, channel, blob FROM checkpoint_writes
      WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?
      ORDER BY task_id, idx""";

  private final PostgresDatabase database;
  private final RecentStates recent;

  public PostgresCheckpointer(PostgresDatabase database) {
    this(database, DEFAULT_RECENT_THREADS);
  }

  public PostgresCheckpointer(PostgresDatabase database, int recentThreads) {
    this.database = database;
    this.recent = new RecentStates(recentThreads);
  }

  @Override
  public void put(Checkpoint checkpoint) {
    StoredState parent = parentOf(checkpoint);
    String version = ChannelVersions.next(parent.versions(), checkpoint.id());
    StateChannels.Changes changes = StateChannels.diff(parent, checkpoint.state(), version);
    database.withConnection(
        "put checkpoint", connection -> insert(connection, checkpoint, changes));
    if (checkpoint.next() == Checkpoint.Next.DONE) {
      recent.forget(
          checkpoint.threadId(), checkpoint.namespace()); // no step follows a final answer
    } else {
      recent.remember(
          checkpoint.threadId(),
          checkpoint.namespace(),
          new StoredState(checkpoint.id(), checkpoint.state(), changes.versions()));
    }
  }

  /**
   * The parent's state: remembered from the previous put, else read back (e.g. after a restart).
   */
  private StoredState parentOf(Checkpoint checkpoint) {
    if (checkpoint.parentId() == null) return StoredState.NONE;
    StoredState remembered =
        recent.get(checkpoint.threadId(), checkpoint.namespace(), checkpoint.parentId());
    if (remembered != null) return remembered;
    return load(checkpoint.threadId(), checkpoint.namespace(), BY_ID_SQL, checkpoint.parentId())
        .map(Loaded::stored)
        .orElse(StoredState.NONE);
  }

  private static int insert(
      Connection connection, Checkpoint checkpoint, StateChannels.Changes changes)
      throws SQLException {
    List<Blob> blobs = changes.blobs();
    try (PreparedStatement statement = connection.prepareStatement(PUT_SQL)) {
      statement.setString(1, checkpoint.threadId());
      statement.setString(2, checkpoint.namespace());
      statement.setArray(
          3,
          connection.createArrayOf(
              "text", blobs.stream().map(Blob::channel).toArray(String[]::new)));
      statement.setArray(
          4,
          connection.createArrayOf(
              "text", blobs.stream().map(Blob::version).toArray(String[]::new)));
      statement.setArray(
          5,
          connection.createArrayOf("text", blobs.stream().map(Blob::type).toArray(String[]::new)));
      statement.setArray(
          6,
          connection.createArrayOf(
              "bytea", blobs.stream().map(Blob::bytes).toArray(byte[][]::new)));
      statement.setString(7, checkpoint.threadId());
      statement.setString(8, checkpoint.namespace());
      statement.setString(9, checkpoint.id());
      statement.setString(10, checkpoint.parentId());
      statement.setString(
          11, PostgresText.json(Json.write(document(checkpoint, changes.versions()))));
      statement.setString(12, PostgresText.json(Json.write(metadata(checkpoint))));
      return statement.executeUpdate();
    }
  }

  /**
   * LangGraph's checkpoint document: v, id, ts, channel_values, channel_versions, versions_seen.
   */
  private static ObjectNode document(Checkpoint checkpoint, Map<String, String> versions) {
    ObjectNode document = Json.object();
    document.put("v", ForeignCheckpoints.FORMAT_VERSION);
    document.put("id", checkpoint.id());
    document.put("ts", checkpoint.createdAt().toString());
    document.set("channel_values", StateChannels.inlineValues(checkpoint.state()));
    document.set("channel_versions", Json.tree(versions));
    document.set(
        "versions_seen", Json.object()); // the loop is not a Pregel graph: no per-node view
    document.putArray("pending_sends");
    return document;
  }

  private static ObjectNode metadata(Checkpoint checkpoint) {
    ObjectNode metadata = Json.object();
    metadata.put("source", checkpoint.parentId() == null ? "input" : "loop");
    metadata.put("step", checkpoint.step());
    metadata.putObject("parents");
    metadata.put("next", checkpoint.next().name().toLowerCase(Locale.ROOT));
    metadata.put("tenant", checkpoint.tenant()); // who owns the thread, known while it runs
    metadata.put("job_id", checkpoint.jobId()); // which run of the thread wrote it
    return metadata;
  }

  @Override
  public Optional<Checkpoint> latest(String threadId, String namespace) {
    Optional<Loaded> loaded = load(threadId, namespace, LATEST_SQL, null);
    loaded.ifPresent(
        found -> {
          if (found.checkpoint().next() != Checkpoint.Next.DONE)
            recent.remember(threadId, namespace, found.stored());
        });
    return loaded.map(Loaded::checkpoint);
  }

  @Override
  public Optional<Checkpoint> get(String threadId, String namespace, String checkpointId) {
    return load(threadId, namespace, BY_ID_SQL, checkpointId).map(Loaded::checkpoint);
  }

  @Override
  public List<CheckpointSummary> history(String threadId, String before, int limit) {
    return database.withConnection(
        "read checkpoint history",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(HISTORY_SQL)) {
            statement.setString(1, threadId);
            statement.setString(2, before);
            statement.setString(3, before);
            statement.setInt(4, limit);
            try (ResultSet rows = statement.executeQuery()) {
              List<CheckpointSummary> page = new ArrayList<>();
              while (rows.next()) page.add(summary(threadId, rows));
              return page;
            }
          }
        });
  }

  /**
   * A history row; a row another checkpointer wrote (LangGraph's saver shares the tables) is listed
   * with what it has: no step is 0, an unreadable time is null, no job is the thread's id.
   */
  private static CheckpointSummary summary(String threadId, ResultSet row) throws SQLException {
    String step = row.getString(4);
    String jobId = row.getString(7);
    return new CheckpointSummary(
        threadId,
        row.getString(1),
        row.getString(2),
        row.getString(3),
        step != null && step.matches("-?\\d{1,9}") ? Integer.parseInt(step) : 0,
        CheckpointSummary.next(row.getString(5)),
        instantOrNull(row.getString(6)),
        jobId == null ? threadId : jobId);
  }

  private static Instant instantOrNull(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** A checkpoint read back, with its channel versions for diffing the next put. */
  private record Loaded(Checkpoint checkpoint, Map<String, String> versions) {
    StoredState stored() {
      return new StoredState(checkpoint.id(), checkpoint.state(), versions);
    }
  }

  private Optional<Loaded> load(
      String threadId, String namespace, String rowSql, String checkpointId) {
    return database.withConnection(
        "read checkpoint",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(rowSql)) {
            statement.setString(1, threadId);
            statement.setString(2, namespace);
            if (checkpointId != null) statement.setString(3, checkpointId);
            try (ResultSet row = statement.executeQuery()) {
              if (!row.next()) return Optional.empty();
              return Optional.of(assemble(connection, threadId, namespace, row));
            }
          }
        });
  }

  /**
   * Rebuilds a checkpoint from its row and blobs. A row this service did not write (LangGraph's own
   * saver shares the tables) or cannot decode is a {@link CheckpointIncompatibleException} naming
   * what was not understood, never a raw decoding error.
   */
  private static Loaded assemble(
      Connection connection, String threadId, String namespace, ResultSet row) throws SQLException {
    String checkpointId = row.getString(1);
    JsonNode document = Json.parse(row.getString(3));
    JsonNode metadata = Json.parse(row.getString(4));
    Map<String, String> versions = textMap(document.path("channel_versions"));
    List<Blob> blobs = blobs(connection, threadId, namespace, versions);
    List<String> findings = ForeignCheckpoints.findings(document, metadata);
    if (!findings.isEmpty()) {
      List<String> all = new ArrayList<>(findings);
      all.addAll(ForeignCheckpoints.blobFindings(blobs));
      throw new CheckpointIncompatibleException(
          threadId,
          namespace,
          checkpointId,
          "written by another checkpointer (such as LangGraph's own saver): "
              + String.join("; ", all),
          null);
    }
    try {
      return decode(threadId, namespace, row, document, metadata, versions, blobs);
    } catch (RuntimeException e) {
      List<String> blobFindings = ForeignCheckpoints.blobFindings(blobs);
      String reason =
          blobFindings.isEmpty()
              ? "its data cannot be decoded: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
              : "written by another checkpointer (such as LangGraph's own saver): "
                  + String.join("; ", blobFindings);
      throw new CheckpointIncompatibleException(threadId, namespace, checkpointId, reason, e);
    }
  }

  private static Loaded decode(
      String threadId,
      String namespace,
      ResultSet row,
      JsonNode document,
      JsonNode metadata,
      Map<String, String> versions,
      List<Blob> blobs)
      throws SQLException {
    Map<String, Blob> current = new HashMap<>();
    Map<String, Blob> messages = new HashMap<>();
    Map<String, Blob> files = new HashMap<>();
    for (Blob blob : blobs) {
      switch (blob.channel()) {
        case StateChannels.MESSAGES -> messages.put(blob.version(), blob);
        case StateChannels.FILES -> files.put(blob.version(), blob);
        default -> current.put(blob.channel(), blob);
      }
    }
    Checkpoint checkpoint =
        new Checkpoint(
            threadId,
            namespace,
            row.getString(1),
            row.getString(2),
            metadata.path("step").asInt(),
            Instant.parse(document.path("ts").asText()),
            Checkpoint.Next.valueOf(metadata.path("next").asText("model").toUpperCase(Locale.ROOT)),
            StateChannels.assemble(
                versions, document.path("channel_values"), current, messages, files),
            metadata.path("tenant").isTextual() ? metadata.get("tenant").asText() : null,
            metadata.path("job_id").isTextual() ? metadata.get("job_id").asText() : null);
    return new Loaded(checkpoint, versions);
  }

  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() <= 300 ? line : line.substring(0, 300) + "…";
  }

  private static List<Blob> blobs(
      Connection connection, String threadId, String namespace, Map<String, String> versions)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(BLOBS_SQL)) {
      statement.setString(1, threadId);
      statement.setString(2, namespace);
      statement.setString(3, versions.getOrDefault(StateChannels.MESSAGES, ""));
      statement.setString(4, versions.getOrDefault(StateChannels.FILES, ""));
      statement.setString(5, Json.write(versions));
      try (ResultSet rows = statement.executeQuery()) {
        List<Blob> blobs = new ArrayList<>();
        while (rows.next()) {
          blobs.add(
              new Blob(rows.getString(1), rows.getString(2), rows.getString(3), rows.getBytes(4)));
        }
        return blobs;
      }
    }
  }

  private static Map<String, String> textMap(JsonNode object) {
    Map<String, String> map = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      map.put(field.getKey(), field.getValue().asText());
    }
    return map;
  }

  /**
   * One row per task and channel; the {@code idx} of each channel is LangGraph's (0 for a task's
   * own write, -3 for an interrupt, -4 for a resume), so the key refuses a second write of either.
   */
  @Override
  public void putWrite(String threadId, String namespace, String checkpointId, PendingWrite write) {
    int idx = writeIndex(write.channel());
    database.withConnection(
        "put checkpoint write",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(PUT_WRITE_SQL)) {
            statement.setString(1, threadId);
            statement.setString(2, namespace);
            statement.setString(3, checkpointId);
            statement.setString(4, write.taskId());
            statement.setInt(5, idx);
            statement.setString(6, write.channel());
            statement.setBytes(7, Json.writeBytes(write.value()));
            return statement.executeUpdate();
          }
        });
  }

  private static int writeIndex(String channel) {
    return switch (channel) {
      case PendingWrite.RESULT -> 0;
      case PendingWrite.INTERRUPT -> -3;
      case PendingWrite.RESUME -> -4;
      default -> throw new IllegalArgumentException("unknown pending write channel " + channel);
    };
  }

  @Override
  public List<PendingWrite> writes(String threadId, String namespace, String checkpointId) {
    return database.withConnection(
        "read checkpoint writes",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(WRITES_SQL)) {
            statement.setString(1, threadId);
            statement.setString(2, namespace);
            statement.setString(3, checkpointId);
            try (ResultSet rows = statement.executeQuery()) {
              List<PendingWrite> writes = new ArrayList<>();
              while (rows.next()) {
                writes.add(
                    new PendingWrite(
                        rows.getString(1), rows.getString(2), Json.parse(rows.getBytes(3))));
              }
              return writes;
            }
          }
        });
  }

  @Override
  public boolean deleteThread(String threadId) {
    recent.forgetThread(threadId);
    return database.withConnection(
        "delete checkpoints",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(DELETE_THREAD_SQL)) {
            for (int i = 1; i <= 3; i++) statement.setString(i, threadId);
            try (ResultSet count = statement.executeQuery()) {
              return count.next() && count.getLong(1) > 0;
            }
          }
        });
  }
}
