package dev.agentexecutor.ingress.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.runner.JobCursor;
import dev.agentexecutor.runner.JobListing;
import dev.agentexecutor.runner.ThreadAdmin;
import dev.agentexecutor.store.JobQuery;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * GET /jobs: the caller's jobs, newest first, filtered by status and thread, a page at a time. The
 * query is checked whole before anything is read: every bad parameter is one problem (400), at the
 * path {@code $.<parameter>}.
 */
final class JobsRoute {
  private final ThreadAdmin admin;

  JobsRoute(ThreadAdmin admin) {
    this.admin = admin;
  }

  void list(Context ctx) {
    List<Problem> problems = new ArrayList<>();
    Set<JobStatus> statuses = statuses(ctx.queryParams("status"), problems);
    Optional<String> threadId = threadId(ctx.queryParams("thread_id"), problems);
    int limit = limit(ctx.queryParams("limit"), problems);
    Optional<JobQuery.Position> after = cursor(ctx.queryParams("cursor"), problems);
    if (!problems.isEmpty()) {
      ObjectNode body =
          Json.object()
              .put("error", "invalid_request")
              .put("message", "the job list query is not valid: " + joined(problems));
      body.set("problems", Json.tree(problems));
      ctx.status(400).json(body);
      return;
    }
    ctx.json(
        admin.jobs(new JobListing.Request(statuses, threadId, after, limit), HttpApi.caller(ctx)));
  }

  /** Every status named, by comma-separated lists in one or more {@code status} parameters. */
  private static Set<JobStatus> statuses(List<String> values, List<Problem> problems) {
    Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
    for (String value : values) {
      for (String name : value.split(",", -1)) {
        Optional<JobStatus> status = byWireName(name);
        if (status.isEmpty()) {
          problems.add(
              new Problem(
                  ProblemCode.QUERY_STATUS,
                  "$.status",
                  "unknown status '"
                      + printable(name)
                      + "' (expected queued, running, interrupted, completed, failed or"
                      + " cancelled, comma-separated)"));
          return Set.of();
        }
        statuses.add(status.get());
      }
    }
    return statuses;
  }

  private static Optional<JobStatus> byWireName(String name) {
    for (JobStatus status : JobStatus.values()) {
      if (status.wireName().equals(name)) return Optional.of(status);
    }
    return Optional.empty();
  }

  private static Optional<String> threadId(List<String> values, List<Problem> problems) {
    if (values.isEmpty()) return Optional.empty();
    if (values.size() == 1 && Ids.isValidClientId(values.getFirst()))
      return Optional.of(values.getFirst());
    problems.add(
        new Problem(
            ProblemCode.QUERY_THREAD_ID,
            "$.thread_id",
            values.size() > 1
                ? "is given more than once"
                : "must be 1 to "
                    + Ids.MAX_CLIENT_ID_LENGTH
                    + " characters: "
                    + Ids.CLIENT_ID_ALPHABET));
    return Optional.empty();
  }

  private static int limit(List<String> values, List<Problem> problems) {
    if (values.isEmpty()) return JobListing.DEFAULT_LIMIT;
    String value = values.getFirst();
    if (values.size() == 1 && value.matches("[0-9]{1,3}")) {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= JobListing.MAX_LIMIT) return limit;
    }
    problems.add(
        new Problem(
            ProblemCode.QUERY_LIMIT,
            "$.limit",
            values.size() > 1
                ? "is given more than once"
                : "'"
                    + printable(value)
                    + "' is not a whole number from 1 to "
                    + JobListing.MAX_LIMIT));
    return JobListing.DEFAULT_LIMIT;
  }

  private static Optional<JobQuery.Position> cursor(List<String> values, List<Problem> problems) {
    if (values.isEmpty()) return Optional.empty();
    Optional<JobQuery.Position> position =
        values.size() == 1 ? JobCursor.decode(values.getFirst()) : Optional.empty();
    if (position.isEmpty()) {
      problems.add(
          new Problem(
              ProblemCode.QUERY_CURSOR,
              "$.cursor",
              values.size() > 1
                  ? "is given more than once"
                  : "is not a cursor this service gave out: pass a page's next_cursor back as it"
                      + " is"));
    }
    return position;
  }

  private static String joined(List<Problem> problems) {
    return String.join("; ", problems.stream().map(Problem::toString).toList());
  }

  /** At most 40 characters of a caller's text, control characters replaced, for a message. */
  private static String printable(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
