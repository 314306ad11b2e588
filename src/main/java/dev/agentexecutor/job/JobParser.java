package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.util.Ids;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads jobs from the wire: a CloudEvent of type {@value #EXECUTE_TYPE} in binary or structured
 * mode (HTTP POST / and NATS), or a bare JobExecutionEvent (POST /invoke). Every problem is
 * reported with a code and the JSON path of the field; the job id is kept when it was readable (and
 * valid) so the failed result event can name the job. Nothing but {@link InvalidJobException} ever
 * leaves this class, whatever the input.
 */
public final class JobParser {
  private static final Logger log = LoggerFactory.getLogger(JobParser.class);
  public static final String EXECUTE_TYPE = "dev.my-platform.agent.execute";
  private static final List<String> REQUIRED_ATTRIBUTES =
      List.of("specversion", "id", "source", "type");

  private JobParser() {}

  /**
   * Parses a CloudEvent carrying a job. Headers are looked up case-insensitively; binary mode is
   * recognised by a {@code ce-specversion} header, structured mode by the {@code
   * application/cloudevents+json} content type or, when no content type is given (NATS), by a JSON
   * body with a {@code specversion} member.
   */
  public static JobExecutionEvent fromCloudEvent(
      Map<String, String> headers, byte[] body, long maxBytes) {
    return guarded(() -> readCloudEvent(caseInsensitive(headers), body, maxBytes));
  }

  /**
   * The W3C trace context of a request or message: the traceparent/tracestate headers (plain or ce-
   * prefixed), else the attributes of a structured-mode event body; a fresh trace when none.
   */
  public static TraceContext traceOf(Map<String, String> headers, byte[] body) {
    Map<String, String> h = caseInsensitive(headers);
    String parent = h.getOrDefault("traceparent", h.get("ce-traceparent"));
    String state = h.getOrDefault("tracestate", h.get("ce-tracestate"));
    if (parent == null && JsonBody.startsLikeAnObject(body)) {
      JsonNode node = JsonBody.parseOrNull(body);
      if (node != null && node.path("traceparent").isTextual())
        parent = node.get("traceparent").asText();
      if (node != null && node.path("tracestate").isTextual())
        state = node.get("tracestate").asText();
    }
    return TraceContext.parse(parent, state);
  }

  /** Parses a bare JobExecutionEvent (the body of POST /invoke). */
  public static JobExecutionEvent fromJobJson(byte[] body, long maxBytes) {
    return guarded(
        () -> {
          checkSize(body, maxBytes);
          return fromJobNode(JsonBody.parse(body, "$"));
        });
  }

  /** Validates a JobExecutionEvent given as a JSON tree. */
  public static JobExecutionEvent fromJobNode(JsonNode node) {
    return guarded(() -> validateJob(node));
  }

  /**
   * Runs a parse with a last line of defence: a library throwing something unexpected on hostile
   * input is the input's fault, so it becomes a 400 rather than a 500 or a dead worker slot.
   */
  private static JobExecutionEvent guarded(java.util.function.Supplier<JobExecutionEvent> parse) {
    try {
      return parse.get();
    } catch (InvalidJobException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      log.warn("unreadable job input rejected: {}", e.toString());
      throw InvalidJobException.badRequest(
          "EVT_INVALID", "$", "the input could not be read as a job");
    }
  }

  private static JobExecutionEvent readCloudEvent(
      Map<String, String> h, byte[] body, long maxBytes) {
    checkSize(body, maxBytes);
    if (body == null || body.length == 0)
      throw InvalidJobException.badRequest("BODY_EMPTY", "$", "the body is empty");
    String contentType = h.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    if (h.containsKey("ce-specversion")) return readBinary(h, contentType, body);
    if (contentType.startsWith("application/cloudevents+json"))
      return readStructured(JsonBody.parse(body, "$"));
    if (contentType.startsWith("application/cloudevents")) {
      throw new InvalidJobException(
          415,
          List.of(
              new Problem(
                  "EVT_CONTENT_TYPE",
                  "$",
                  "only the JSON event format is supported, not '" + contentType + "'")),
          null);
    }
    if (!contentType.isEmpty() && !isJson(contentType)) {
      throw new InvalidJobException(
          415,
          List.of(
              new Problem(
                  "EVT_CONTENT_TYPE",
                  "$",
                  "content type '"
                      + contentType
                      + "' is not JSON (send application/cloudevents+json, or application/json with ce-* headers)")),
          null);
    }
    if (contentType.isEmpty() && JsonBody.startsLikeAnObject(body)) {
      JsonNode node = JsonBody.parse(body, "$");
      if (node.isObject() && node.has("specversion")) return readStructured(node);
    }
    throw InvalidJobException.badRequest(
        "EVT_NOT_CLOUDEVENT",
        "$",
        "not a CloudEvent: send ce-specversion/ce-type/ce-source/ce-id headers (binary mode) "
            + "or an application/cloudevents+json body (structured mode)");
  }

  private static JobExecutionEvent readBinary(
      Map<String, String> h, String contentType, byte[] body) {
    if (!isJson(contentType)) {
      throw new InvalidJobException(
          415,
          List.of(
              new Problem(
                  "EVT_CONTENT_TYPE",
                  "$",
                  "binary-mode CloudEvent data must be application/json, not '"
                      + (contentType.isEmpty() ? "(none)" : contentType)
                      + "'")),
          null);
    }
    JsonNode data = JsonBody.parse(body, "$.data");
    String jobId = validIdIn(data, "job_id");
    if (jobId == null && Ids.isValidClientId(h.get("ce-subject"))) jobId = h.get("ce-subject");
    if (!"1.0".equals(h.get("ce-specversion").strip())) {
      throw new InvalidJobException(
          400,
          List.of(
              new Problem(
                  "EVT_SPECVERSION",
                  "$.specversion",
                  "unsupported specversion '"
                      + printable(h.get("ce-specversion"))
                      + "' (expected 1.0)")),
          jobId);
    }
    if (data.isObject() && data.has("specversion"))
      return readStructuredUnderHeaders(h, (ObjectNode) data);
    CloudEvent event;
    try {
      MessageReader reader = HttpMessageFactory.createReader(h, body);
      event = reader.toEvent();
    } catch (RuntimeException e) {
      throw new InvalidJobException(
          400,
          List.of(
              new Problem(
                  "EVT_INVALID",
                  "$",
                  "invalid binary-mode CloudEvent: " + printable(rootMessage(e)))),
          jobId);
    }
    checkType(event.getType(), jobId);
    String tenant = tenantAttribute(event.getExtension(Tenants.ATTRIBUTE), jobId);
    return jobFromData(data, jobId).withTenant(tenant);
  }

  /**
   * A documented leniency for existing producers: ce-* headers together with a structured event as
   * an application/json body. Accepted only when the body's id and type equal the headers';
   * anything else is ambiguous and refused.
   */
  private static JobExecutionEvent readStructuredUnderHeaders(
      Map<String, String> h, ObjectNode event) {
    String jobId = validIdIn(event.path("data"), "job_id");
    boolean sameId =
        event.path("id").isTextual() && event.path("id").asText().equals(h.get("ce-id"));
    boolean sameType =
        event.path("type").isTextual() && event.path("type").asText().equals(h.get("ce-type"));
    if (!sameId || !sameType) {
      throw new InvalidJobException(
          400,
          List.of(
              new Problem(
                  "EVT_AMBIGUOUS",
                  "$",
                  "ce-* headers and a structured CloudEvent body were both sent and their id or type differ; "
                      + "send one or the other")),
          jobId);
    }
    return readStructured(event);
  }

  /**
   * A structured event is parsed once: its attributes are checked on the JSON tree and a JSON
   * object {@code data} becomes the job directly; other encodings of data (a string, {@code
   * data_base64}) go through the CloudEvents SDK.
   */
  private static JobExecutionEvent readStructured(JsonNode node) {
    if (!node.isObject()) {
      throw InvalidJobException.badRequest(
          "EVT_NOT_OBJECT", "$", "a structured CloudEvent must be a JSON object");
    }
    String jobId = validIdIn(node.path("data"), "job_id");
    List<Problem> missing = new ArrayList<>();
    for (String attribute : REQUIRED_ATTRIBUTES) {
      JsonNode value = node.get(attribute);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        missing.add(
            new Problem(
                "EVT_ATTRIBUTE",
                "$." + attribute,
                "required CloudEvent attribute is missing, blank or not a string"));
      }
    }
    if (!missing.isEmpty()) throw new InvalidJobException(400, missing, jobId);
    if (!"1.0".equals(node.get("specversion").asText())) {
      throw new InvalidJobException(
          400,
          List.of(
              new Problem(
                  "EVT_SPECVERSION",
                  "$.specversion",
                  "unsupported specversion '"
                      + printable(node.get("specversion").asText())
                      + "' (expected 1.0)")),
          jobId);
    }
    JsonNode dataType = node.get("datacontenttype");
    if (dataType != null
        && dataType.isTextual()
        && !isJson(dataType.asText().toLowerCase(Locale.ROOT))) {
      throw new InvalidJobException(
          415,
          List.of(
              new Problem(
                  "EVT_CONTENT_TYPE",
                  "$.datacontenttype",
                  "event data must be JSON, not '" + printable(dataType.asText()) + "'")),
          jobId);
    }
    String subject = jobId != null ? jobId : validIdIn(node, "subject");
    checkType(node.get("type").asText(), subject);
    JsonNode tenantNode = node.get(Tenants.ATTRIBUTE);
    String tenant =
        tenantAttribute(
            tenantNode == null || tenantNode.isNull()
                ? null
                : tenantNode.isTextual() ? tenantNode.asText() : tenantNode,
            subject);
    JsonNode data = node.get("data");
    if (data != null && data.isObject()) return jobFromData(data, subject).withTenant(tenant);
    if (data != null && data.isNull()) throw noData(subject);
    return jobFromEncodedData(node, subject).withTenant(tenant);
  }

  private static InvalidJobException noData(String subject) {
    return new InvalidJobException(
        400,
        List.of(
            new Problem(
                "EVT_NO_DATA",
                "$.data",
                "the event has no data: it must carry the job {trace_id, job_id, agent_definition, input_payload}")),
        subject);
  }

  /** data as a JSON string or data_base64: the SDK decodes it, then it is parsed like a body. */
  private static JobExecutionEvent jobFromEncodedData(JsonNode node, String subject) {
    CloudEvent event;
    try {
      event =
          EventFormatProvider.getInstance()
              .resolveFormat(JsonFormat.CONTENT_TYPE)
              .deserialize(dev.agentexecutor.util.Json.writeBytes(node));
    } catch (RuntimeException e) {
      throw new InvalidJobException(
          400,
          List.of(
              new Problem(
                  "EVT_INVALID",
                  "$",
                  "invalid structured CloudEvent: " + printable(rootMessage(e)))),
          subject);
    }
    byte[] data = event.getData() == null ? null : event.getData().toBytes();
    if (data == null || data.length == 0) {
      throw noData(subject);
    }
    JsonNode job = JsonBody.parse(data, "$.data");
    return jobFromData(job, subject != null ? subject : validIdIn(job, "job_id"));
  }

  private static void checkType(String type, String jobId) {
    if (!EXECUTE_TYPE.equals(type)) {
      throw new InvalidJobException(
          400,
          List.of(
              new Problem(
                  "EVT_TYPE",
                  "$.type",
                  "event type must be '" + EXECUTE_TYPE + "', not '" + printable(type) + "'")),
          jobId);
    }
  }

  private static JobExecutionEvent jobFromData(JsonNode data, String fallbackId) {
    try {
      return validateJob(data);
    } catch (InvalidJobException e) {
      throw e.jobId() == null && fallbackId != null ? e.withJobId(fallbackId) : e;
    }
  }

  private static JobExecutionEvent validateJob(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw InvalidJobException.badRequest(
          "JOB_NOT_OBJECT",
          "$",
          "the job must be a JSON object {trace_id, job_id, agent_definition, input_payload}, not "
              + (node == null ? "empty" : DefinitionParser.kind(node)));
    }
    List<Problem> problems = new ArrayList<>();
    String jobId = requiredId(node, "job_id", problems);
    String traceId = requiredId(node, "trace_id", problems);
    ObjectNode definition = requiredObject(node, "agent_definition", problems);
    ObjectNode input = requiredObject(node, "input_payload", problems);
    if (definition != null)
      problems.addAll(DefinitionParser.problems(definition, "$.agent_definition"));
    if (input != null) problems.addAll(InputPayload.problems(input, "$.input_payload"));
    if (!problems.isEmpty()) throw new InvalidJobException(400, problems, jobId);
    return new JobExecutionEvent(traceId, jobId, definition, input);
  }

  /** The id at {@code field} when it is one a result event may carry, else null. */
  private static String validIdIn(JsonNode node, String field) {
    JsonNode id = node == null ? null : node.get(field);
    return id != null && id.isTextual() && Ids.isValidClientId(id.asText()) ? id.asText() : null;
  }

  /**
   * The CloudEvent's {@code tenant} extension attribute (absent: the default tenant). Only the NATS
   * worker trusts it; HTTP replaces it with the tenant of the caller's API token.
   */
  private static String tenantAttribute(Object value, String jobId) {
    if (value == null) return Tenants.DEFAULT;
    if (value instanceof String tenant && Tenants.isValid(tenant)) return tenant;
    throw new InvalidJobException(
        400,
        List.of(
            new Problem(
                "EVT_ATTRIBUTE",
                "$." + Tenants.ATTRIBUTE,
                "the tenant attribute must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")),
        jobId);
  }

  private static String requiredId(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    String path = "$." + field;
    if (value == null || value.isNull()) {
      problems.add(new Problem("JOB_FIELD_MISSING", path, "is required"));
    } else if (!value.isTextual()) {
      problems.add(
          new Problem(
              "JOB_FIELD_TYPE", path, "must be a string, not " + DefinitionParser.kind(value)));
    } else if (value.asText().isBlank()) {
      problems.add(new Problem("JOB_FIELD_BLANK", path, "must not be blank"));
    } else if (value.asText().length() > Ids.MAX_CLIENT_ID_LENGTH) {
      problems.add(
          new Problem(
              "JOB_FIELD_TOO_LONG",
              path,
              "must be at most " + Ids.MAX_CLIENT_ID_LENGTH + " characters"));
    } else if (!Ids.isValidClientId(value.asText())) {
      problems.add(
          new Problem("JOB_FIELD_FORMAT", path, "may only hold " + Ids.CLIENT_ID_ALPHABET));
    } else {
      return value.asText();
    }
    return null;
  }

  private static ObjectNode requiredObject(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    String path = "$." + field;
    if (value == null || value.isNull()) {
      problems.add(new Problem("JOB_FIELD_MISSING", path, "is required"));
    } else if (!value.isObject()) {
      problems.add(
          new Problem(
              "JOB_FIELD_TYPE", path, "must be an object, not " + DefinitionParser.kind(value)));
    } else {
      return (ObjectNode) value;
    }
    return null;
  }

  private static void checkSize(byte[] body, long maxBytes) {
    if (body != null && body.length > maxBytes) {
      throw new InvalidJobException(
          413,
          List.of(
              new Problem(
                  "BODY_TOO_LARGE",
                  "$",
                  "the body is "
                      + body.length
                      + " bytes; the limit is "
                      + maxBytes
                      + " (MAX_PAYLOAD_BYTES)")),
          null);
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

  /** Caller-supplied text quoted in a message: control characters shown escaped, length capped. */
  static String printable(String text) {
    if (text == null) return "null";
    StringBuilder out = new StringBuilder(Math.min(text.length(), 120));
    for (int i = 0; i < text.length() && out.length() < 120; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.length() < text.length() ? out + "..." : out.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
