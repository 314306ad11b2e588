package dev.agentexecutor.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.postgres.PostgresText;
import dev.agentexecutor.store.JobQuery;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.PublishedResult;
import dev.agentexecutor.util.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Job records in the {@code jobs} table (migrations 002 to 005). Timestamps keep PostgreSQL's
 * microsecond precision; the retention sweep removes a job and its checkpoints in one statement.
 */
public final class PostgresJobStore implements JobStore {
  private static final String COLUMNS =
      """
      job_id, trace_id, status, created_at, updated_at, result_event::text, error, tenant,
      thread_id, job::text, interrupts::text, decisions::text, usage::text, parked_at""";

  private static final String FIND_SQL = "SELECT " + COLUMNS + " FROM jobs WHERE job_id = ?";

  private static final String SAVE_SQL =
      """
      INSERT INTO jobs (job_id, trace_id, status, created_at, updated_at, result_event, error, tenant,
                        thread_id, job, interrupts, decisions, usage, parked_at)
      VALUES (?, ?, ?, COALESCE(?, now()), COALESCE(?, now()), ?::jsonb, ?, ?,
              ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?)
      ON CONFLICT (job_id) DO UPDATE SET
          trace_id = EXCLUDED.trace_id,
          status = EXCLUDED.status,
          created_at = EXCLUDED.created_at,
          updated_at = EXCLUDED.updated_at,
          result_event = EXCLUDED.result_event,
          error = EXCLUDED.error,
          tenant = EXCLUDED.tenant,
          thread_id = EXCLUDED.thread_id,
          job = EXCLUDED.job,
          interrupts = EXCLUDED.interrupts,
          decisions = EXCLUDED.decisions,
          usage = EXCLUDED.usage,
          parked_at = EXCLUDED.parked_at,
          result_published_at = NULL""";

  /** The compare-and-set of {@link #transition}: the row changes only in the expected status. */
  private static final String TRANSITION_SQL =
      """
      UPDATE jobs SET
          job_id = ?, trace_id = ?, status = ?, created_at = COALESCE(?, now()),
          updated_at = COALESCE(?, now()), result_event = ?::jsonb, error = ?, tenant = ?,
          thread_id = ?, job = ?::jsonb, interrupts = ?::jsonb, decisions = ?::jsonb,
          usage = ?::jsonb, parked_at = ?, result_published_at = NULL
      WHERE job_id = ? AND status = ?""";

  private static final String INTERRUPTED_BEFORE_SQL =
      "SELECT "
          + COLUMNS
          + " FROM jobs WHERE status = 'interrupted' AND parked_at < ? ORDER BY parked_at LIMIT ?";

  /**
   * A page of the list, completed by {@link #listSql}: job ids compare byte by byte ("C"), as the
   * in-memory store and the cursor's keyset do, whatever the database's collation.
   */
  private static final String LIST_SQL = "SELECT " + COLUMNS + " FROM jobs WHERE true";

  /**
   * The outbox (migration 005): stored results without a confirmed publish, oldest first. Only
   * results that end a run (or park it) are sent again; a running job has none to send.
   */
  private static final String UNPUBLISHED_SQL =
      """
      SELECT %s
      FROM jobs
      WHERE result_event IS NOT NULL AND result_published_at IS NULL AND updated_at < ?
        AND status NOT IN ('running', 'queued')
      ORDER BY updated_at
      LIMIT ?"""
          .formatted(COLUMNS);

  /** Marks each (job, event id) published, unless the job stored another result since. */
  private static final String MARK_PUBLISHED_SQL =
      """
      UPDATE jobs AS j SET result_published_at = now()
      FROM unnest(?::text[], ?::text[]) AS m(job_id, event_id)
      WHERE j.job_id = m.job_id AND j.result_event->>'id' = m.event_id
        AND j.result_published_at IS NULL""";

  private static final String DELETE_SQL = "DELETE FROM jobs WHERE job_id = ?";

  /** Finished jobs older than the cutoff and all their checkpoint rows, atomically. */
  /**
   * The retention sweep, thread-aware: finished records older than the cutoff go; a thread's
   * checkpoints go with them only when nothing else keeps the thread (no other record on it, no run
   * taking turns on it, no checkpoint newer than the cutoff), so an old first run never takes the
   * conversation of the runs after it. The CTEs all see the table before the delete, hence "not
   * gone".
   */
  private static final String DELETE_FINISHED_SQL =
      """
      WITH gone AS (
          DELETE FROM jobs
          WHERE status IN ('completed', 'failed', 'cancelled') AND updated_at < ?
          RETURNING job_id, COALESCE(thread_id, job_id) AS thread_id
      ),
      idle AS (
          SELECT DISTINCT g.thread_id FROM gone g
          WHERE NOT EXISTS (
                  SELECT 1 FROM jobs j
                  WHERE j.thread_id = g.thread_id AND j.job_id NOT IN (SELECT job_id FROM gone))
            AND NOT EXISTS (SELECT 1 FROM thread_runs r WHERE r.thread_id = g.thread_id)
            AND NOT EXISTS (
                  SELECT 1 FROM checkpoints c
                  WHERE c.thread_id = g.thread_id AND (c.checkpoint->>'ts')::timestamptz >= ?)
      ),
      writes AS (DELETE FROM checkpoint_writes WHERE thread_id IN (SELECT thread_id FROM idle)),
      blobs AS (DELETE FROM checkpoint_blobs WHERE thread_id IN (SELECT thread_id FROM idle)),
      checkpoints AS (DELETE FROM checkpoints WHERE thread_id IN (SELECT thread_id FROM idle))
      SELECT count(*) FROM gone""";

  private final PostgresDatabase database;

  public PostgresJobStore(PostgresDatabase database) {
    this.database = database;
  }

  @Override
  public Optional<JobRecord> find(String jobId) {
    return database.withConnection(
        "find job",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(FIND_SQL)) {
            statement.setString(1, jobId);
            try (ResultSet row = statement.executeQuery()) {
              return row.next() ? Optional.of(record(row)) : Optional.empty();
            }
          }
        });
  }

  private static JobRecord record(ResultSet row) throws SQLException {
    String usage = row.getString(13);
    return new JobRecord(
        row.getString(1),
        row.getString(2),
        JobStatus.fromWire(row.getString(3)),
        instant(row, 4),
        instant(row, 5),
        json(row, 6),
        row.getString(7),
        row.getString(8),
        row.getString(9),
        json(row, 10),
        json(row, 11),
        json(row, 12),
        usage == null ? null : Json.read(Json.parse(usage), Usage.class),
        instant(row, 14));
  }

  private static JsonNode json(ResultSet row, int column) throws SQLException {
    String text = row.getString(column);
    return text == null ? null : Json.parse(text);
  }

  /** Sets the 14 columns of {@code record} from parameter {@code first} on, in COLUMNS order. */
  private static int bind(PreparedStatement statement, int first, JobRecord record)
      throws SQLException {
    int i = first;
    statement.setString(i++, record.jobId());
    statement.setString(i++, PostgresText.text(record.traceId()));
    statement.setString(i++, record.status().wireName());
    statement.setObject(i++, timestamp(record.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    statement.setObject(i++, timestamp(record.updatedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    statement.setString(i++, jsonText(record.resultEvent()));
    statement.setString(i++, PostgresText.text(record.error()));
    statement.setString(i++, record.tenant());
    statement.setString(i++, record.threadId());
    statement.setString(i++, jsonText(record.job()));
    statement.setString(i++, jsonText(record.interrupts()));
    statement.setString(i++, jsonText(record.decisions()));
    statement.setString(i++, jsonText(record.usage()));
    statement.setObject(i++, timestamp(record.parkedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
    return i;
  }

  private static String jsonText(Object value) {
    return value == null ? null : PostgresText.json(Json.write(value));
  }

  /** Commits this transaction synchronously: a stored result or transition is never lost. */
  private static void durable(Connection connection) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute("SET LOCAL synchronous_commit TO on");
    }
  }

  @Override
  public void save(JobRecord record) {
    database.inTransaction(
        "save job",
        connection -> {
          durable(connection);
          try (PreparedStatement statement = connection.prepareStatement(SAVE_SQL)) {
            bind(statement, 1, record);
            return statement.executeUpdate();
          }
        });
  }

  @Override
  public boolean transition(String jobId, JobStatus expected, JobRecord next) {
    if (!next.jobId().equals(jobId))
      throw new IllegalArgumentException("a transition keeps the job id: " + next.jobId());
    return database.inTransaction(
        "move job",
        connection -> {
          durable(connection);
          try (PreparedStatement statement = connection.prepareStatement(TRANSITION_SQL)) {
            int i = bind(statement, 1, next);
            statement.setString(i++, jobId);
            statement.setString(i, expected.wireName());
            return statement.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<JobRecord> interruptedBefore(Instant cutoff, int limit) {
    return records("find expired interrupts", INTERRUPTED_BEFORE_SQL, List.of(cutoff, limit));
  }

  @Override
  public List<JobRecord> list(JobQuery query) {
    List<Object> parameters = new ArrayList<>();
    String sql = listSql(query, parameters);
    return records("list jobs", sql, parameters);
  }

  @Override
  public List<JobRecord> unpublishedResults(Instant before, int limit) {
    return records("find unpublished results", UNPUBLISHED_SQL, List.of(before, limit));
  }

  /**
   * The records a query selects ({@link #COLUMNS}), its parameters bound in placeholder order: text
   * arrays as {@code text[]}, instants as timestamps with time zone, the rest as they are.
   */
  private List<JobRecord> records(String what, String sql, List<Object> parameters) {
    return database.withConnection(
        what,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
              Object parameter = parameters.get(i);
              if (parameter instanceof String[] texts)
                statement.setArray(i + 1, connection.createArrayOf("text", texts));
              else if (parameter instanceof Instant instant)
                statement.setObject(i + 1, timestamp(instant), Types.TIMESTAMP_WITH_TIMEZONE);
              else statement.setObject(i + 1, parameter);
            }
            List<JobRecord> records = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
              while (row.next()) records.add(record(row));
            }
            return records;
          }
        });
  }

  /** The query's SQL, with its parameters appended in placeholder order. */
  private static String listSql(JobQuery query, List<Object> parameters) {
    StringBuilder sql = new StringBuilder(LIST_SQL);
    query
        .tenant()
        .ifPresent(
            tenant -> {
              sql.append(" AND tenant = ?");
              parameters.add(tenant);
            });
    if (!query.statuses().isEmpty()) {
      sql.append(" AND status = ANY (?)");
      parameters.add(query.statuses().stream().map(JobStatus::wireName).toArray(String[]::new));
    }
    query
        .threadId()
        .ifPresent(
            thread -> {
              sql.append(" AND COALESCE(thread_id, job_id) = ?");
              parameters.add(thread);
            });
    query
        .after()
        .ifPresent(
            position -> {
              sql.append(" AND (created_at, job_id COLLATE \"C\") < (?, ?)");
              parameters.add(position.createdAt());
              parameters.add(position.jobId());
            });
    sql.append(" ORDER BY created_at DESC, job_id COLLATE \"C\" DESC LIMIT ?");
    parameters.add(query.limit());
    return sql.toString();
  }

  @Override
  public void markPublished(List<PublishedResult> published) {
    if (published.isEmpty()) return;
    database.inTransaction(
        "mark results published",
        connection -> {
          try (var relaxed = connection.createStatement()) {
            // A mark lost in a database crash only means one more (deduplicated) publish.
            relaxed.execute("SET LOCAL synchronous_commit TO off");
          }
          try (PreparedStatement statement = connection.prepareStatement(MARK_PUBLISHED_SQL)) {
            statement.setArray(
                1,
                connection.createArrayOf(
                    "text", published.stream().map(PublishedResult::jobId).toArray()));
            statement.setArray(
                2,
                connection.createArrayOf(
                    "text", published.stream().map(PublishedResult::eventId).toArray()));
            return statement.executeUpdate();
          }
        });
  }

  @Override
  public boolean delete(String jobId) {
    return database.withConnection(
        "delete job",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(DELETE_SQL)) {
            statement.setString(1, jobId);
            return statement.executeUpdate() > 0;
          }
        });
  }

  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    return database.withConnection(
        "delete finished jobs",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(DELETE_FINISHED_SQL)) {
            statement.setObject(1, timestamp(cutoff));
            statement.setObject(2, timestamp(cutoff));
            try (ResultSet count = statement.executeQuery()) {
              count.next();
              return count.getInt(1);
            }
          }
        });
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet row, int column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
