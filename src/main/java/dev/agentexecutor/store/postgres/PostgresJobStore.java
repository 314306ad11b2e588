package dev.agentexecutor.store.postgres;

import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.postgres.PostgresText;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.PublishedResult;
import dev.agentexecutor.util.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Job records in the {@code jobs} table (migrations 002, 003 and 005). Timestamps keep PostgreSQL's
 * microsecond precision; the retention sweep removes a job and its checkpoints in one statement.
 */
public final class PostgresJobStore implements JobStore {
  private static final String FIND_SQL =
      """
      SELECT job_id, trace_id, status, created_at, updated_at, result_event::text, error, tenant
      FROM jobs WHERE job_id = ?""";

  private static final String SAVE_SQL =
      """
      INSERT INTO jobs (job_id, trace_id, status, created_at, updated_at, result_event, error, tenant)
      VALUES (?, ?, ?, COALESCE(?, now()), COALESCE(?, now()), ?::jsonb, ?, ?)
      ON CONFLICT (job_id) DO UPDATE SET
          trace_id = EXCLUDED.trace_id,
          status = EXCLUDED.status,
          created_at = EXCLUDED.created_at,
          updated_at = EXCLUDED.updated_at,
          result_event = EXCLUDED.result_event,
          error = EXCLUDED.error,
          tenant = EXCLUDED.tenant,
          result_published_at = NULL""";

  /**
   * The outbox (migration 005): stored results without a confirmed publish, oldest first. Only
   * results that end a run (or park it) are sent again; a running job has none to send.
   */
  private static final String UNPUBLISHED_SQL =
      """
      SELECT job_id, trace_id, status, created_at, updated_at, result_event::text, error, tenant
      FROM jobs
      WHERE result_event IS NOT NULL AND result_published_at IS NULL AND updated_at < ?
        AND status NOT IN ('running', 'queued')
      ORDER BY updated_at
      LIMIT ?""";

  /** Marks each (job, event id) published, unless the job stored another result since. */
  private static final String MARK_PUBLISHED_SQL =
      """
      UPDATE jobs AS j SET result_published_at = now()
      FROM unnest(?::text[], ?::text[]) AS m(job_id, event_id)
      WHERE j.job_id = m.job_id AND j.result_event->>'id' = m.event_id
        AND j.result_published_at IS NULL""";

  private static final String DELETE_SQL = "DELETE FROM jobs WHERE job_id = ?";

  /** Finished jobs older than the cutoff and all their checkpoint rows, atomically. */
  private static final String DELETE_FINISHED_SQL =
      """
      WITH gone AS (
          DELETE FROM jobs
          WHERE status IN ('completed', 'failed', 'cancelled') AND updated_at < ?
          RETURNING job_id
      ),
      writes AS (DELETE FROM checkpoint_writes WHERE thread_id IN (SELECT job_id FROM gone)),
      blobs AS (DELETE FROM checkpoint_blobs WHERE thread_id IN (SELECT job_id FROM gone)),
      checkpoints AS (DELETE FROM checkpoints WHERE thread_id IN (SELECT job_id FROM gone))
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
    String resultEvent = row.getString(6);
    return new JobRecord(
        row.getString(1),
        row.getString(2),
        JobStatus.valueOf(row.getString(3).toUpperCase(Locale.ROOT)),
        instant(row, 4),
        instant(row, 5),
        resultEvent == null ? null : Json.parse(resultEvent),
        row.getString(7),
        row.getString(8));
  }

  @Override
  public void save(JobRecord record) {
    database.inTransaction(
        "save job",
        connection -> {
          try (var durable = connection.createStatement()) {
            durable.execute("SET LOCAL synchronous_commit TO on"); // a stored result is never lost
          }
          try (PreparedStatement statement = connection.prepareStatement(SAVE_SQL)) {
            statement.setString(1, record.jobId());
            statement.setString(2, PostgresText.text(record.traceId()));
            statement.setString(3, record.status().wireName());
            statement.setObject(4, timestamp(record.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setObject(5, timestamp(record.updatedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setString(
                6,
                record.resultEvent() == null
                    ? null
                    : PostgresText.json(Json.write(record.resultEvent())));
            statement.setString(7, PostgresText.text(record.error()));
            statement.setString(8, record.tenant());
            return statement.executeUpdate();
          }
        });
  }

  @Override
  public List<JobRecord> unpublishedResults(Instant before, int limit) {
    return database.withConnection(
        "find unpublished results",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(UNPUBLISHED_SQL)) {
            statement.setObject(1, timestamp(before), Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setInt(2, limit);
            List<JobRecord> records = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
              while (row.next()) records.add(record(row));
            }
            return records;
          }
        });
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
