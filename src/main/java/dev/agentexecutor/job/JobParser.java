package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.problem.Problem;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.StateLimits;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge every job passes once: reads a CloudEvent of type {@value #EXECUTE_TYPE} (or a request
 * of type {@value #CANCEL_TYPE} to cancel one) in binary or structured mode (HTTP POST / and NATS)
 * or a bare job (POST /invoke), validates it whole (event attributes, ids, definition, input, input
 * limits) and gives a typed {@link Job} or every problem with its code and JSON path, with the
 * trace context either way. A body is parsed as JSON once. Nothing but {@link InvalidJobException}
 * ever leaves a parse, whatever the input.
 */
public final class JobParser {
  private static final Logger log = LoggerFactory.getLogger(JobParser.class);
  public static final String EXECUTE_TYPE = "dev.my-platform.agent.execute";

  /** A request to cancel a job: data {@code {job_id, trace_id}}; answered like POST /cancel. */
  public static final String CANCEL_TYPE = "dev.my-platform.agent.cancel";

  /** The event types this edge takes, each with its own data. */
  static final java.util.List<String> EVENT_TYPES = java.util.List.of(EXECUTE_TYPE, CANCEL_TYPE);

  private static final long DEFAULT_MAX_BYTES = 1 << 20;

  private final long maxPayloadBytes;
  private final StateLimits limits;
  private final Clock clock = Clock.systemUTC();

  /** Bodies up to {@code maxPayloadBytes}; inputs within {@code limits} (MAX_FILES...). */
  public JobParser(long maxPayloadBytes, StateLimits limits) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.limits = limits;
  }

  /** The largest body or message it reads (MAX_PAYLOAD_BYTES). */
  public long maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** A parser with the default state limits, for callers without settings (tests, tools). */
  public static JobParser withDefaultLimits(long maxPayloadBytes) {
    return new JobParser(maxPayloadBytes, StateLimits.DEFAULTS);
  }

  // ---- entry points ----

  /**
   * A CloudEvent carrying a job. Headers are looked up case-insensitively; binary mode is
   * recognised by a {@code ce-specversion} header, structured mode by the {@code
   * application/cloudevents+json} content type or, when no content type is given (NATS), by a JSON
   * body with a {@code specversion} member. The trace context comes from the traceparent/tracestate
   * headers (plain or ce- prefixed), else from a structured event's attributes, else is fresh.
   */
  public ParsedJob cloudEvent(Map<String, String> headers, byte[] body) {
    Reading reading = new Reading(caseInsensitive(headers));
    return reading.parsed(() -> reading.cloudEvent(body));
  }

  /** A bare job (the body of POST /invoke); its trace context comes from the headers. */
  public ParsedJob jobJson(Map<String, String> headers, byte[] body) {
    Reading reading = new Reading(caseInsensitive(headers));
    return reading.result(
        () -> {
          checkSize(body);
          return reading.job(JsonBody.parse(body, "$"), Tenants.DEFAULT);
        });
  }

  /** A job given as a JSON tree (a job file); {@link InvalidJobException} when it is not valid. */
  public Job job(JsonNode node) {
    Reading reading = new Reading(caseInsensitive(Map.of()));
    return orThrow(reading.result(() -> reading.job(node, Tenants.DEFAULT)));
  }

  // ---- the same with the default limits, throwing when invalid (tests, tools) ----

  public static Job fromCloudEvent(Map<String, String> headers, byte[] body, long maxBytes) {
    return orThrow(withDefaultLimits(maxBytes).cloudEvent(headers, body));
  }

  public static Job fromJobJson(byte[] body, long maxBytes) {
    return orThrow(withDefaultLimits(maxBytes).jobJson(Map.of(), body));
  }

  public static Job fromJobNode(JsonNode node) {
    return withDefaultLimits(DEFAULT_MAX_BYTES).job(node);
  }

  /** The trace context {@link #cloudEvent} reads from a request or message; never throws. */
  public static TraceContext traceOf(Map<String, String> headers, byte[] body) {
    return withDefaultLimits(Long.MAX_VALUE).cloudEvent(headers, body).trace();
  }

  /** The valid job; {@link InvalidJobException} for anything else. */
  public static Job orThrow(ParsedJob parsed) {
    return switch (parsed) {
      case ParsedJob.Valid valid -> valid.job();
      case ParsedJob.OverLimits over -> throw over.problem();
      case ParsedJob.Invalid invalid -> throw invalid.problem();
      case ParsedJob.Cancel cancel ->
          throw InvalidJobException.of(
              ProblemCode.EVT_TYPE,
              "$.type",
              "a " + CANCEL_TYPE + " event cancels a job and is not one to run",
              cancel.jobId());
    };
  }

  // ---- one read ----

  /** One request or message being read: its headers, and the trace context once it is known. */
  private final class Reading {
    private final Map<String, String> headers;
    private String traceparent;
    private String tracestate;

    Reading(Map<String, String> headers) {
      this.headers = headers;
      this.traceparent = headers.getOrDefault("traceparent", headers.get("ce-traceparent"));
      this.tracestate = headers.getOrDefault("tracestate", headers.get("ce-tracestate"));
    }

    /** A parse that gives a job (never a cancel request). */
    ParsedJob result(Supplier<Job> parse) {
      return parsed(() -> new ParsedJob.Valid(parse.get()));
    }

    /**
     * Runs a parse with a last line of defence: a library throwing something unexpected on hostile
     * input is the input's fault, so it becomes a 400 rather than a 500 or a dead worker slot.
     */
    ParsedJob parsed(Supplier<ParsedJob> parse) {
      try {
        return switch (parse.get()) {
          case ParsedJob.Valid valid -> new ParsedJob.Valid(valid.job().withTrace(trace()));
          case ParsedJob.Cancel cancel -> cancel.withTrace(trace());
          case ParsedJob other -> other;
        };
      } catch (OverLimitsException e) {
        return new ParsedJob.OverLimits(e.job.withTrace(trace()), e.problem);
      } catch (InvalidJobException e) {
        return new ParsedJob.Invalid(e, trace());
      } catch (RuntimeException | StackOverflowError e) {
        log.warn("unreadable job input rejected: {}", e.toString());
        return new ParsedJob.Invalid(
            InvalidJobException.badRequest(
                ProblemCode.EVT_INVALID, "$", "the input could not be read as a job"),
            trace());
      }
    }

    private TraceContext trace() {
      return TraceContext.parse(traceparent, tracestate);
    }

    /** A structured event's own trace attributes count when no header carried one. */
    private void traceFrom(JsonNode event) {
      if (traceparent != null) return;
      if (event.path("traceparent").isTextual()) traceparent = event.get("traceparent").asText();
      if (event.path("tracestate").isTextual()) tracestate = event.get("tracestate").asText();
    }

    ParsedJob cloudEvent(byte[] body) {
      checkSize(body);
      if (body == null || body.length == 0)
        throw InvalidJobException.badRequest(ProblemCode.BODY_EMPTY, "$", "the body is empty");
      String contentType = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
      if (headers.containsKey("ce-specversion")) return binary(contentType, body);
      if (contentType.startsWith("application/cloudevents+json"))
        return structured(JsonBody.parse(body, "$"));
      if (contentType.startsWith("application/cloudevents")) {
        throw InvalidJobException.badRequest(
            ProblemCode.EVT_CONTENT_TYPE,
            "$",
            "only the JSON event format is supported, not '" + contentType + "'");
      }
      if (!contentType.isEmpty() && !isJson(contentType)) {
        throw InvalidJobException.badRequest(
            ProblemCode.EVT_CONTENT_TYPE,
            "$",
            "content type '"
                + contentType
                + "' is not JSON (send application/cloudevents+json, or application/json with ce-* headers)");
      }
      if (contentType.isEmpty() && JsonBody.startsLikeAnObject(body)) {
        JsonNode node = JsonBody.parse(body, "$");
        if (node.isObject() && node.has("specversion")) return structured(node);
      }
      throw InvalidJobException.badRequest(
          ProblemCode.EVT_NOT_CLOUDEVENT,
          "$",
          "not a CloudEvent: send ce-specversion/ce-type/ce-source/ce-id headers (binary mode) "
              + "or an application/cloudevents+json body (structured mode)");
    }

    private ParsedJob binary(String contentType, byte[] body) {
      if (!isJson(contentType)) {
        throw InvalidJobException.badRequest(
            ProblemCode.EVT_CONTENT_TYPE,
            "$",
            "binary-mode CloudEvent data must be application/json, not '"
                + (contentType.isEmpty() ? "(none)" : contentType)
                + "'");
      }
      JsonNode data = JsonBody.parse(body, "$.data");
      String jobId = validIdIn(data, "job_id");
      if (jobId == null && Ids.isValidClientId(headers.get("ce-subject")))
        jobId = headers.get("ce-subject");
      CloudEventAttributes attributes = CloudEventAttributes.ofHeaders(headers);
      CloudEventAttributes.checkSpecversion(headers.get("ce-specversion").strip(), jobId);
      if (data.isObject() && data.has("specversion"))
        return structuredUnderHeaders((ObjectNode) data);
      try {
        // The SDK holds the headers to the rest of the specification (required, well-formed).
        HttpMessageFactory.createReader(headers, body).toEvent();
      } catch (RuntimeException e) {
        throw InvalidJobException.of(
            ProblemCode.EVT_INVALID,
            "$",
            "invalid binary-mode CloudEvent: " + CloudEventAttributes.printable(rootMessage(e)),
            jobId);
      }
      String tenant = attributes.checkTypeAndTenant(jobId);
      return fromData(attributes.text("type"), data, jobId, tenant);
    }

    /**
     * A documented leniency for existing producers: ce-* headers together with a structured event
     * as an application/json body. Accepted only when the body's id and type equal the headers';
     * anything else is ambiguous and refused.
     */
    private ParsedJob structuredUnderHeaders(ObjectNode event) {
      String jobId = validIdIn(event.path("data"), "job_id");
      boolean sameId =
          event.path("id").isTextual() && event.path("id").asText().equals(headers.get("ce-id"));
      boolean sameType =
          event.path("type").isTextual()
              && event.path("type").asText().equals(headers.get("ce-type"));
      if (!sameId || !sameType) {
        throw InvalidJobException.of(
            ProblemCode.EVT_AMBIGUOUS,
            "$",
            "ce-* headers and a structured CloudEvent body were both sent and their id or type differ; "
                + "send one or the other",
            jobId);
      }
      return structured(event);
    }

    /**
     * A structured event is read from its JSON tree: its attributes are checked on the tree and a
     * JSON object {@code data} becomes the job directly; other encodings of data (a string, {@code
     * data_base64}) go through the CloudEvents SDK.
     */
    private ParsedJob structured(JsonNode node) {
      if (!node.isObject()) {
        throw InvalidJobException.badRequest(
            ProblemCode.EVT_NOT_OBJECT, "$", "a structured CloudEvent must be a JSON object");
      }
      traceFrom(node);
      String jobId = validIdIn(node.path("data"), "job_id");
      CloudEventAttributes attributes = CloudEventAttributes.ofEvent(node);
      attributes.checkRequired(jobId);
      CloudEventAttributes.checkSpecversion(attributes.text("specversion"), jobId);
      Object dataType = attributes.get("datacontenttype");
      if (dataType instanceof JsonNode type
          && type.isTextual()
          && !isJson(type.asText().toLowerCase(Locale.ROOT))) {
        throw InvalidJobException.of(
            ProblemCode.EVT_CONTENT_TYPE,
            "$.datacontenttype",
            "event data must be JSON, not '" + CloudEventAttributes.printable(type.asText()) + "'",
            jobId);
      }
      String subject = jobId != null ? jobId : validIdIn(node, "subject");
      String tenant = attributes.checkTypeAndTenant(subject);
      String type = attributes.text("type");
      JsonNode data = node.get("data");
      if (data != null && data.isObject()) return fromData(type, data, subject, tenant);
      if (data != null && data.isNull()) throw noData(subject);
      return fromEncodedData(type, node, subject, tenant);
    }

    /** The event's data read as its type says: a job to run, or a job to cancel. */
    private ParsedJob fromData(String type, JsonNode data, String fallbackId, String tenant) {
      if (CANCEL_TYPE.equals(type)) return cancel(data, fallbackId, tenant);
      return new ParsedJob.Valid(jobFromData(data, fallbackId, tenant));
    }

    /** A cancel request's data: {@code {job_id, trace_id}}, both ids of the safe alphabet. */
    private ParsedJob.Cancel cancel(JsonNode data, String fallbackId, String tenant) {
      if (data == null || !data.isObject()) {
        throw InvalidJobException.of(
            ProblemCode.JOB_NOT_OBJECT,
            "$.data",
            "the data of a cancel event must be a JSON object {job_id, trace_id}, not "
                + (data == null ? "empty" : DefinitionParser.kind(data)),
            fallbackId);
      }
      List<Problem> problems = new ArrayList<>();
      String jobId = requiredId(data, "job_id", problems);
      String traceId = requiredId(data, "trace_id", problems);
      if (!problems.isEmpty())
        throw new InvalidJobException(problems, jobId != null ? jobId : fallbackId);
      return new ParsedJob.Cancel(jobId, traceId, tenant, trace());
    }

    private static InvalidJobException noData(String subject) {
      return InvalidJobException.of(
          ProblemCode.EVT_NO_DATA,
          "$.data",
          "the event has no data: it must carry the job {trace_id, job_id, agent_definition, input_payload}",
          subject);
    }

    /** data as a JSON string or data_base64: the SDK decodes it, then it is parsed like a body. */
    private ParsedJob fromEncodedData(String type, JsonNode node, String subject, String tenant) {
      CloudEvent event;
      try {
        event =
            EventFormatProvider.getInstance()
                .resolveFormat(JsonFormat.CONTENT_TYPE)
                .deserialize(Json.writeBytes(node));
      } catch (RuntimeException e) {
        throw InvalidJobException.of(
            ProblemCode.EVT_INVALID,
            "$",
            "invalid structured CloudEvent: " + CloudEventAttributes.printable(rootMessage(e)),
            subject);
      }
      byte[] data = event.getData() == null ? null : event.getData().toBytes();
      if (data == null || data.length == 0) throw noData(subject);
      JsonNode job = JsonBody.parse(data, "$.data");
      return fromData(type, job, subject != null ? subject : validIdIn(job, "job_id"), tenant);
    }

    private Job jobFromData(JsonNode data, String fallbackId, String tenant) {
      try {
        return job(data, tenant);
      } catch (InvalidJobException e) {
        throw e.jobId() == null && fallbackId != null ? e.withJobId(fallbackId) : e;
      }
    }

    /** The job object itself: ids, definition and input, then the input's limits. */
    Job job(JsonNode node, String tenant) {
      if (node == null || !node.isObject()) {
        throw InvalidJobException.badRequest(
            ProblemCode.JOB_NOT_OBJECT,
            "$",
            "the job must be a JSON object {trace_id, job_id, agent_definition, input_payload}, not "
                + (node == null ? "empty" : DefinitionParser.kind(node)));
      }
      List<Problem> problems = new ArrayList<>();
      String jobId = requiredId(node, "job_id", problems);
      String traceId = requiredId(node, "trace_id", problems);
      ObjectNode definitionNode = requiredObject(node, "agent_definition", problems);
      ObjectNode input = requiredObject(node, "input_payload", problems);
      AgentDefinition definition =
          definitionNode == null
              ? null
              : DefinitionParser.read(definitionNode, "$.agent_definition", problems);
      if (input != null) problems.addAll(InputPayload.problems(input, "$.input_payload"));
      ThreadFields thread = threadFields(node, jobId, problems);
      if (!problems.isEmpty()) throw new InvalidJobException(problems, jobId);
      AgentState initial = InputPayload.initialState(input, clock.instant());
      Job job =
          new Job(
              jobId,
              traceId,
              tenant,
              definition,
              initial,
              trace(),
              (ObjectNode) node,
              thread.threadId(),
              thread.fork(),
              thread.multitask());
      List<Problem> overLimits = InputLimits.problems(input, initial, limits);
      if (!overLimits.isEmpty())
        throw new OverLimitsException(job, new InvalidJobException(overLimits, jobId));
      return job;
    }
  }

  /**
   * A complete job whose input breaks the limits: it leaves a parse as {@link
   * ParsedJob.OverLimits}.
   */
  private static final class OverLimitsException extends RuntimeException {
    final transient Job job;
    final InvalidJobException problem;

    OverLimitsException(Job job, InvalidJobException problem) {
      super(problem.getMessage(), null, false, false);
      this.job = job;
      this.problem = problem;
    }
  }

  // ---- job fields ----

  private record ThreadFields(String threadId, Job.ForkPoint fork, MultitaskStrategy multitask) {}

  /**
   * The optional thread fields: {@code thread_id} and {@code checkpoint_id} (ids of the same safe
   * alphabet as job_id) and {@code multitask_strategy}. A checkpoint names a point of another
   * thread to fork from, so it needs a {@code thread_id} other than the job's own id.
   */
  private static ThreadFields threadFields(JsonNode node, String jobId, List<Problem> problems) {
    String threadId = node.hasNonNull("thread_id") ? id(node, "thread_id", problems) : null;
    String checkpointId =
        node.hasNonNull("checkpoint_id") ? id(node, "checkpoint_id", problems) : null;
    Job.ForkPoint fork = null;
    if (checkpointId != null) {
      if (!node.hasNonNull("thread_id") || (threadId != null && threadId.equals(jobId))) {
        problems.add(
            new Problem(
                ProblemCode.JOB_FORK_THREAD,
                "$.checkpoint_id",
                "needs a thread_id other than the job's own id: a fork reads a checkpoint of"
                    + " thread_id and writes a new thread named by job_id"));
      } else if (threadId != null) {
        fork = new Job.ForkPoint(threadId, checkpointId);
      }
    }
    MultitaskStrategy multitask = MultitaskStrategy.REJECT;
    JsonNode strategy = node.get("multitask_strategy");
    if (strategy != null && !strategy.isNull()) {
      Optional<MultitaskStrategy> known =
          strategy.isTextual() ? MultitaskStrategy.of(strategy.asText()) : Optional.empty();
      if (known.isPresent()) {
        multitask = known.get();
      } else {
        problems.add(
            new Problem(
                ProblemCode.JOB_MULTITASK_STRATEGY,
                "$.multitask_strategy",
                "must be one of reject, enqueue or interrupt"));
      }
    }
    return new ThreadFields(threadId, fork, multitask);
  }

  /** The id at {@code field} when it is one a result event may carry, else null. */
  private static String validIdIn(JsonNode node, String field) {
    JsonNode id = node == null ? null : node.get(field);
    return id != null && id.isTextual() && Ids.isValidClientId(id.asText()) ? id.asText() : null;
  }

  private static String requiredId(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      problems.add(new Problem(ProblemCode.JOB_FIELD_MISSING, "$." + field, "is required"));
      return null;
    }
    return id(node, field, problems);
  }

  /** The id at {@code field} (present), or null with its problem added. */
  private static String id(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    String path = "$." + field;
    if (!value.isTextual()) {
      problems.add(
          new Problem(
              ProblemCode.JOB_FIELD_TYPE,
              path,
              "must be a string, not " + DefinitionParser.kind(value)));
    } else if (value.asText().isBlank()) {
      problems.add(new Problem(ProblemCode.JOB_FIELD_BLANK, path, "must not be blank"));
    } else if (value.asText().length() > Ids.MAX_CLIENT_ID_LENGTH) {
      problems.add(
          new Problem(
              ProblemCode.JOB_FIELD_TOO_LONG,
              path,
              "must be at most " + Ids.MAX_CLIENT_ID_LENGTH + " characters"));
    } else if (!Ids.isValidClientId(value.asText())) {
      problems.add(
          new Problem(
              ProblemCode.JOB_FIELD_FORMAT, path, "may only hold " + Ids.CLIENT_ID_ALPHABET));
    } else {
      return value.asText();
    }
    return null;
  }

  private static ObjectNode requiredObject(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    String path = "$." + field;
    if (value == null || value.isNull()) {
      problems.add(new Problem(ProblemCode.JOB_FIELD_MISSING, path, "is required"));
    } else if (!value.isObject()) {
      problems.add(
          new Problem(
              ProblemCode.JOB_FIELD_TYPE,
              path,
              "must be an object, not " + DefinitionParser.kind(value)));
    } else {
      return (ObjectNode) value;
    }
    return null;
  }

  private void checkSize(byte[] body) {
    if (body != null && body.length > maxPayloadBytes) {
      throw InvalidJobException.badRequest(
          ProblemCode.BODY_TOO_LARGE,
          "$",
          "the body is "
              + body.length
              + " bytes; the limit is "
              + maxPayloadBytes
              + " (MAX_PAYLOAD_BYTES)");
    }
  }

  private static boolean isJson(String contentType) {
    return contentType.startsWith("application/json")
        || contentType.matches("^[a-z0-9.+-]+/[a-z0-9.+-]*\\+json.*");
  }

  private static Map<String, String> caseInsensitive(Map<String, String> headers) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers == null) return map;
    headers.forEach(
        (k, v) -> {
          if (k != null && v != null) map.put(k.toLowerCase(Locale.ROOT), v);
        });
    return map;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
