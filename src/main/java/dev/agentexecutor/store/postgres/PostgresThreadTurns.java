package dev.agentexecutor.store.postgres;

import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.store.ThreadTurns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Thread turns in the {@code thread_runs} table (migration 006). Each decision is one transaction
 * under an advisory lock on the thread ({@code pg_advisory_xact_lock}), so replicas asking for the
 * same thread's turn take turns themselves: one gets it, the others queue behind it in order.
 */
public final class PostgresThreadTurns implements ThreadTurns {
  private static final String LOCK_SQL =
      "SELECT pg_advisory_xact_lock(hashtextextended('agent-executor:thread:' || ?, 0))";

  /**
   * Rows of runs that died: running past the run timeout, queued and not asked for since, cancelled
   * in line and never heard by their job.
   */
  private static final String SWEEP_SQL =
      """
      DELETE FROM thread_runs WHERE thread_id = ?
        AND ((status = 'running' AND updated_at < now() - make_interval(secs => ?))
          OR (status = 'queued' AND updated_at < now() - make_interval(secs => ?))
          OR (status = 'cancelled' AND updated_at < now() - make_interval(secs => ?)))""";

  /** The thread's rows in turn order: who jumps the queue first, then by arrival. */
  private static final String ROWS_SQL =
      """
      SELECT job_id, status FROM thread_runs WHERE thread_id = ?
        AND (status <> 'cancelled' OR job_id = ?)
      ORDER BY jumps_queue DESC, created_at, job_id""";

  private static final String UPSERT_SQL =
      """
      INSERT INTO thread_runs (job_id, thread_id, tenant, status, jumps_queue, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, clock_timestamp(), clock_timestamp())
      ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status, updated_at = clock_timestamp()""";

  private static final String DELETE_SQL = "DELETE FROM thread_runs WHERE job_id = ?";
  private static final String FIND_SQL =
      "SELECT job_id, thread_id, tenant, status FROM thread_runs WHERE job_id = ?";

  private final PostgresDatabase database;

  public PostgresThreadTurns(PostgresDatabase database) {
    this.database = database;
  }

  private record Row(String jobId, String status) {}

  @Override
  public Turn take(TurnRequest request) {
    return database.inTransaction(
        "take a thread's turn", connection -> decide(connection, request));
  }

  private static Turn decide(Connection connection, TurnRequest request) throws SQLException {
    update(connection, LOCK_SQL, request.threadId());
    try (PreparedStatement sweep = connection.prepareStatement(SWEEP_SQL)) {
      sweep.setString(1, request.threadId());
      sweep.setDouble(2, request.runningStale().toMillis() / 1000.0);
      sweep.setDouble(3, request.queuedStale().toMillis() / 1000.0);
      sweep.setDouble(4, CANCELLED_KEPT.toSeconds());
      sweep.executeUpdate();
    }
    List<Row> rows = rows(connection, request.threadId(), request.jobId());
    Optional<Row> mine = rows.stream().filter(r -> r.jobId().equals(request.jobId())).findFirst();
    if (mine.isPresent() && ThreadRun.RUNNING.equals(mine.get().status()))
      return new Turn.Granted();
    if (mine.isPresent() && ThreadRun.CANCELLED.equals(mine.get().status()))
      return new Turn.Cancelled();
    List<String> active =
        rows.stream().filter(r -> ThreadRun.RUNNING.equals(r.status())).map(Row::jobId).toList();
    boolean ahead = false;
    for (Row row : rows) { // in turn order: anyone queued before the asking job goes first
      if (row.jobId().equals(request.jobId())) break;
      if (ThreadRun.QUEUED.equals(row.status())) ahead = true;
    }
    // A job without a row yet goes after every row, except that one that jumps the queue goes
    // before those that do not.
    if (mine.isEmpty() && request.jumpQueue()) ahead = jumpersWaiting(connection, request);
    if (active.isEmpty() && !request.othersActive() && !ahead) {
      upsert(connection, request, ThreadRun.RUNNING);
      return new Turn.Granted();
    }
    if (!request.queue()) return new Turn.Busy(active);
    upsert(connection, request, ThreadRun.QUEUED);
    return new Turn.Queued(active);
  }

  private static boolean jumpersWaiting(Connection connection, TurnRequest request)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT 1 FROM thread_runs WHERE thread_id = ? AND status = 'queued' AND jumps_queue")) {
      statement.setString(1, request.threadId());
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** The thread's rows in turn order, without those cancelled in line except the asking job's. */
  private static List<Row> rows(Connection connection, String threadId, String jobId)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ROWS_SQL)) {
      statement.setString(1, threadId);
      statement.setString(2, jobId);
      try (ResultSet rows = statement.executeQuery()) {
        List<Row> list = new ArrayList<>();
        while (rows.next()) list.add(new Row(rows.getString(1), rows.getString(2)));
        return list;
      }
    }
  }

  private static void upsert(Connection connection, TurnRequest request, String status)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(UPSERT_SQL)) {
      statement.setString(1, request.jobId());
      statement.setString(2, request.threadId());
      statement.setString(3, request.tenant());
      statement.setString(4, status);
      statement.setBoolean(5, request.jumpQueue());
      statement.executeUpdate();
    }
  }

  private static void update(Connection connection, String sql, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, value);
      statement.execute();
    }
  }

  @Override
  public void release(String jobId) {
    database.withConnection(
        "release a thread's turn",
        c -> {
          update(c, DELETE_SQL, jobId);
          return null;
        });
  }

  /**
   * Under the thread's lock, like every turn decision, so that a queued job about to be granted the
   * turn either gets it first (and this answers false) or never gets it.
   */
  @Override
  public boolean cancelQueued(String jobId) {
    return database.inTransaction(
        "cancel a queued run",
        connection -> {
          Optional<String> thread = threadOf(connection, jobId);
          if (thread.isEmpty()) return false;
          update(connection, LOCK_SQL, thread.get());
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "UPDATE thread_runs SET status = 'cancelled', updated_at = clock_timestamp()"
                      + " WHERE job_id = ? AND status IN ('queued', 'cancelled')")) {
            statement.setString(1, jobId);
            return statement.executeUpdate() == 1;
          }
        });
  }

  private static Optional<String> threadOf(Connection connection, String jobId)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT thread_id FROM thread_runs WHERE job_id = ?")) {
      statement.setString(1, jobId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<ThreadRun> find(String jobId) {
    return database.withConnection(
        "read a thread's turn",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(FIND_SQL)) {
            statement.setString(1, jobId);
            try (ResultSet row = statement.executeQuery()) {
              if (!row.next()) return Optional.empty();
              return Optional.of(
                  new ThreadRun(
                      row.getString(1), row.getString(2), row.getString(3), row.getString(4)));
            }
          }
        });
  }
}
