package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.store.JobQuery;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GET /jobs: a caller's jobs, newest first, a page at a time. The job store knows every job that
 * has a record; a job running in this process before it has one is added from the runner, so a run
 * started a moment ago is listed at once.
 */
public final class JobListing {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  /** The list order, the store's: newest first, then the higher job id. */
  private static final Comparator<JobRecord> NEWEST_FIRST =
      Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::jobId).reversed();

  /** What a client asks for (validated by the ingress): filters, a position and a page size. */
  public record Request(
      Set<JobStatus> statuses,
      Optional<String> threadId,
      Optional<JobQuery.Position> after,
      int limit) {
    public Request {
      statuses = Set.copyOf(statuses);
      if (limit < 1 || limit > MAX_LIMIT)
        throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
    }
  }

  private final Backends backends;
  private final JobRuns runner;

  public JobListing(Backends backends, JobRuns runner) {
    this.backends = backends;
    this.runner = runner;
  }

  /** {jobs: [...], next_cursor}: the caller's jobs (every tenant's in open mode) as asked for. */
  public ObjectNode page(Request request, Caller caller) {
    Optional<String> tenant = caller.restricted() ? Optional.of(caller.tenant()) : Optional.empty();
    // One more than the page, to know whether another page follows.
    JobQuery query =
        new JobQuery(
            tenant, request.statuses(), request.threadId(), request.after(), request.limit() + 1);
    Map<String, RunningJob> runningHere = new LinkedHashMap<>();
    runner.running().forEach(job -> runningHere.put(job.jobId(), job));

    Map<String, JobRecord> rows = new LinkedHashMap<>();
    for (JobRecord record : backends.jobs().list(query)) rows.put(record.jobId(), record);
    for (RunningJob job : runningHere.values()) {
      JobRecord unrecorded =
          new JobRecord(
              job.jobId(),
              null,
              JobStatus.RUNNING,
              job.startedAt(),
              job.startedAt(),
              null,
              null,
              job.tenant());
      if (query.matches(unrecorded)) rows.putIfAbsent(job.jobId(), unrecorded);
    }
    List<JobRecord> sorted = new ArrayList<>(rows.values());
    sorted.sort(NEWEST_FIRST);
    List<JobRecord> page = sorted.subList(0, Math.min(request.limit(), sorted.size()));

    ObjectNode body = Json.object();
    ArrayNode jobs = body.putArray("jobs");
    page.forEach(record -> jobs.add(row(record, runningHere.get(record.jobId()))));
    body.put(
        "next_cursor",
        sorted.size() > request.limit()
            ? JobCursor.encode(JobQuery.Position.of(page.getLast()))
            : null);
    return body;
  }

  /** One job as the list shows it; a job running here is running whatever its record says. */
  private static ObjectNode row(JobRecord record, RunningJob runningHere) {
    JobStatus status = runningHere != null ? JobStatus.RUNNING : record.status();
    JsonNode data = record.resultEvent() == null ? null : record.resultEvent().path("data");
    ObjectNode row =
        Json.object()
            .put("job_id", record.jobId())
            .put("thread_id", JobQuery.threadOf(record))
            .put("status", status.wireName())
            .put("created_at", instant(record.createdAt()))
            .put("updated_at", instant(record.updatedAt()));
    if (status.finished())
      row.put("duration_ms", Duration.between(record.createdAt(), record.updatedAt()).toMillis());
    else row.putNull("duration_ms");
    if (runningHere != null) row.set("usage", usage(runningHere.usage()));
    else if (data != null && data.path("result").path("usage").isObject())
      row.set("usage", storedUsage(data.path("result").path("usage")));
    else row.set("usage", record.usage() == null ? null : usage(record.usage()));
    row.set("error", status.finished() ? error(record, data) : null);
    if (status == JobStatus.INTERRUPTED) row.set("interrupts", record.interrupts());
    JsonNode name =
        record.job() == null ? null : record.job().path("agent_definition").path("name");
    if (name != null && name.isTextual()) row.put("definition_name", name.asText());
    return row;
  }

  private static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static ObjectNode usage(Usage usage) {
    return Json.object()
        .put("input_tokens", usage.inputTokens())
        .put("output_tokens", usage.outputTokens())
        .put("cached_tokens", usage.cacheReadTokens());
  }

  /** The result event's usage in the list's shape. */
  private static ObjectNode storedUsage(JsonNode usage) {
    return Json.object()
        .put("input_tokens", usage.path("input_tokens").asLong())
        .put("output_tokens", usage.path("output_tokens").asLong())
        .put("cached_tokens", usage.path("cache_read_tokens").asLong());
  }

  /** {message, type} of a failed or cancelled job; null for a completed one. */
  private static ObjectNode error(JobRecord record, JsonNode data) {
    JsonNode stored = data == null ? null : data.path("error");
    if (stored != null && stored.isObject()) {
      ObjectNode error = Json.object().put("message", stored.path("message").asText(null));
      return error.put("type", stored.path("type").asText(null));
    }
    return record.error() == null ? null : Json.object().put("message", record.error());
  }
}
