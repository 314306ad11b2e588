package dev.agentexecutor.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads jobs from the wire: a CloudEvent of type {@value #EXECUTE_TYPE} in binary or structured
 * mode (HTTP POST / and NATS), or a bare JobExecutionEvent (POST /invoke). Every problem is
 * reported with a code and the JSON path of the field; the job id is kept when it was readable so
 * the failed result event can name the job.
 */
public final class JobParser {
  public static final String EXECUTE_TYPE = "dev.my-platform.agent.execute";

  private JobParser() {}

  /**
   * Parses a CloudEvent carrying a job. Headers are looked up case-insensitively; binary mode is
   * recognised by a {@code ce-specversion} header, structured mode by the
   * {@code application/cloudevents+json} content type or, when no content type is given (NATS), by
   * a JSON body with a {@code specversion} member.
   */
  public static JobExecutionEvent fromCloudEvent(Map<String, String> headers, byte[] body, long maxBytes) {
    checkSize(body, maxBytes);
    if (body == null || body.length == 0) throw InvalidJobException.badRequest("BODY_EMPTY", "$", "the body is empty");
    Map<String, String> h = caseInsensitive(headers);
    String contentType = h.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    CloudEvent event;
    if (h.containsKey("ce-specversion")) {
      if (!isJson(contentType)) {
        throw new InvalidJobException(415, List.of(new Problem("EVT_CONTENT_TYPE", "$",
            "binary-mode CloudEvent data must be application/json, not '" + (contentType.isEmpty() ? "(none)" : contentType) + "'")), null);
      }
      if (!"1.0".equals(h.get("ce-specversion").strip())) {
        throw new InvalidJobException(400, List.of(new Problem("EVT_SPECVERSION", "$.specversion",
            "unsupported specversion '" + h.get("ce-specversion") + "' (expected 1.0)")), jobIdIn(body));
      }
      event = readBinary(h, body);
    } else if (contentType.startsWith("application/cloudevents+json") || (contentType.isEmpty() && looksStructured(body))) {
      return readStructured(body);
    } else if (contentType.startsWith("application/cloudevents")) {
      throw new InvalidJobException(415, List.of(new Problem("EVT_CONTENT_TYPE", "$",
          "only the JSON event format is supported, not '" + contentType + "'")), null);
    } else if (!contentType.isEmpty() && !isJson(contentType)) {
      throw new InvalidJobException(415, List.of(new Problem("EVT_CONTENT_TYPE", "$",
          "content type '" + contentType + "' is not JSON (send application/cloudevents+json, or application/json with ce-* headers)")), null);
    } else {
      throw InvalidJobException.badRequest("EVT_NOT_CLOUDEVENT", "$",
          "not a CloudEvent: send ce-specversion/ce-type/ce-source/ce-id headers (binary mode) "
              + "or an application/cloudevents+json body (structured mode)");
    }
    return jobFromEvent(event);
  }

  /**
   * The W3C trace context of a request or message: the traceparent/tracestate headers (plain or
   * ce- prefixed), else the attributes of a structured-mode event body; a fresh trace when none.
   */
  public static dev.agentexecutor.observability.TraceContext traceOf(Map<String, String> headers, byte[] body) {
    Map<String, String> h = caseInsensitive(headers);
    String parent = h.getOrDefault("traceparent", h.get("ce-traceparent"));
    String state = h.getOrDefault("tracestate", h.get("ce-tracestate"));
    if (parent == null && startsLikeAnObject(body)) {
      try {
        JsonNode node = Json.MAPPER.readTree(body);
        if (node.path("traceparent").isTextual()) parent = node.get("traceparent").asText();
        if (node.path("tracestate").isTextual()) state = node.get("tracestate").asText();
      } catch (IOException e) {
        // not JSON: no trace context in the body
      }
    }
    return dev.agentexecutor.observability.TraceContext.parse(parent, state);
  }

  /** Parses a bare JobExecutionEvent (the body of POST /invoke). */
  public static JobExecutionEvent fromJobJson(byte[] body, long maxBytes) {
    checkSize(body, maxBytes);
    return fromJobNode(parseJson(body, "$"));
  }

  /** Validates a JobExecutionEvent given as a JSON tree. */
  public static JobExecutionEvent fromJobNode(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw InvalidJobException.badRequest("JOB_NOT_OBJECT", "$",
          "the job must be a JSON object {trace_id, job_id, agent_definition, input_payload}, not "
              + (node == null ? "empty" : DefinitionParser.kind(node)));
    }
    List<Problem> problems = new ArrayList<>();
    String jobId = requiredId(node, "job_id", problems);
    String traceId = requiredId(node, "trace_id", problems);
    ObjectNode definition = requiredObject(node, "agent_definition", problems);
    ObjectNode input = requiredObject(node, "input_payload", problems);
    if (definition != null) problems.addAll(DefinitionParser.problems(definition, "$.agent_definition"));
    if (input != null) problems.addAll(InputPayload.problems(input, "$.input_payload"));
    if (!problems.isEmpty()) throw new InvalidJobException(400, problems, jobId);
    return new JobExecutionEvent(traceId, jobId, definition, input);
  }

  private static JobExecutionEvent jobFromEvent(CloudEvent event) {
    String subject = event.getData() == null ? null : jobIdIn(event.getData().toBytes());
    if (subject == null) subject = event.getSubject();
    if (!EXECUTE_TYPE.equals(event.getType())) {
      throw new InvalidJobException(400, List.of(new Problem("EVT_TYPE", "$.type",
          "event type must be '" + EXECUTE_TYPE + "', not '" + event.getType() + "'")), subject);
    }
    if (event.getData() == null || event.getData().toBytes().length == 0) {
      throw new InvalidJobException(400, List.of(new Problem("EVT_NO_DATA", "$.data",
          "the event has no data: it must carry the job {trace_id, job_id, agent_definition, input_payload}")), subject);
    }
    String dataType = event.getDataContentType();
    if (dataType != null && !isJson(dataType.toLowerCase(Locale.ROOT))) {
      throw new InvalidJobException(415, List.of(new Problem("EVT_CONTENT_TYPE", "$.datacontenttype",
          "event data must be JSON, not '" + dataType + "'")), subject);
    }
    try {
      return fromJobNode(parseJson(event.getData().toBytes(), "$.data"))
          .withTenant(tenantAttribute(event.getExtension(Tenants.ATTRIBUTE), subject));
    } catch (InvalidJobException e) {
      return throwWithId(e, subject);
    }
  }

  /**
   * The CloudEvent's {@code tenant} extension attribute (absent: the default tenant). Only the
   * NATS worker trusts it; HTTP replaces it with the tenant of the caller's API token.
   */
  private static String tenantAttribute(Object value, String jobId) {
    if (value == null) return Tenants.DEFAULT;
    if (value instanceof String tenant && Tenants.isValid(tenant)) return tenant;
    throw new InvalidJobException(400, List.of(new Problem("EVT_ATTRIBUTE", "$." + Tenants.ATTRIBUTE,
        "the tenant attribute must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")), jobId);
  }

  private static JobExecutionEvent throwWithId(InvalidJobException e, String fallbackId) {
    throw e.jobId() == null && fallbackId != null && !fallbackId.isBlank() ? e.withJobId(fallbackId) : e;
  }

  private static CloudEvent readBinary(Map<String, String> headers, byte[] body) {
    try {
      MessageReader reader = HttpMessageFactory.createReader(headers, body);
      return reader.toEvent();
    } catch (RuntimeException e) {
      throw new InvalidJobException(400, List.of(new Problem("EVT_INVALID", "$",
          "invalid binary-mode CloudEvent: " + rootMessage(e))), jobIdIn(body));
    }
  }

  /**
   * A structured event is parsed once: its attributes are checked on the JSON tree and a JSON
   * object {@code data} becomes the job directly; other encodings of data (a string,
   * {@code data_base64}) go through the CloudEvents SDK.
   */
  private static JobExecutionEvent readStructured(byte[] body) {
    JsonNode node = parseJson(body, "$");
    if (!node.isObject()) {
      throw InvalidJobException.badRequest("EVT_NOT_OBJECT", "$", "a structured CloudEvent must be a JSON object");
    }
    List<Problem> missing = new ArrayList<>();
    for (String attribute : List.of("specversion", "id", "source", "type")) {
      JsonNode value = node.get(attribute);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        missing.add(new Problem("EVT_ATTRIBUTE", "$." + attribute, "required CloudEvent attribute is missing, blank or not a string"));
      }
    }
    String jobId = node.path("data").path("job_id").isTextual() ? node.path("data").path("job_id").asText() : null;
    if (!missing.isEmpty()) throw new InvalidJobException(400, missing, jobId);
    if (!"1.0".equals(node.get("specversion").asText())) {
      throw new InvalidJobException(400, List.of(new Problem("EVT_SPECVERSION", "$.specversion",
          "unsupported specversion '" + node.get("specversion").asText() + "' (expected 1.0)")), jobId);
    }
    JsonNode dataType = node.get("datacontenttype");
    if (dataType != null && dataType.isTextual() && !isJson(dataType.asText().toLowerCase(Locale.ROOT))) {
      throw new InvalidJobException(415, List.of(new Problem("EVT_CONTENT_TYPE", "$.datacontenttype",
          "event data must be JSON, not '" + dataType.asText() + "'")), jobId);
    }
    JsonNode data = node.get("data");
    if (data != null && data.isObject()) {
      String type = node.get("type").asText();
      String subject = jobId != null ? jobId : node.path("subject").isTextual() ? node.get("subject").asText() : null;
      if (!EXECUTE_TYPE.equals(type)) {
        throw new InvalidJobException(400, List.of(new Problem("EVT_TYPE", "$.type",
            "event type must be '" + EXECUTE_TYPE + "', not '" + type + "'")), subject);
      }
      try {
        JsonNode tenant = node.get(Tenants.ATTRIBUTE);
        return fromJobNode(data).withTenant(tenantAttribute(tenant == null || tenant.isNull() ? null
            : tenant.isTextual() ? tenant.asText() : tenant, subject));
      } catch (InvalidJobException e) {
        return throwWithId(e, subject);
      }
    }
    try {
      return jobFromEvent(EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(body));
    } catch (EventDeserializationException | IllegalStateException e) {
      throw new InvalidJobException(400, List.of(new Problem("EVT_INVALID", "$", "invalid structured CloudEvent: " + rootMessage(e))), jobId);
    }
  }

  private static JsonNode parseJson(byte[] body, String path) {
    if (body == null || body.length == 0) {
      throw InvalidJobException.badRequest("BODY_EMPTY", path, "the body is empty");
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw InvalidJobException.badRequest("BODY_NOT_JSON", path,
          "not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw InvalidJobException.badRequest("BODY_NOT_JSON", path, "not readable JSON: " + e.getMessage());
    }
  }

  private static boolean startsLikeAnObject(byte[] body) {
    if (body == null) return false;
    for (byte b : body) {
      if (!Character.isWhitespace(b)) return b == '{';
    }
    return false;
  }

  /** The job_id of a job given as JSON bytes, when readable; null otherwise. */
  private static String jobIdIn(byte[] data) {
    if (!startsLikeAnObject(data)) return null;
    try {
      JsonNode id = Json.MAPPER.readTree(data).path("job_id");
      return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean looksStructured(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      return node != null && node.isObject() && node.has("specversion");
    } catch (IOException e) {
      return false;
    }
  }

  private static String requiredId(JsonNode node, String field, List<Problem> problems) {
    JsonNode value = node.get(field);
    String path = "$." + field;
    if (value == null || value.isNull()) {
      problems.add(new Problem("JOB_FIELD_MISSING", path, "is required"));
    } else if (!value.isTextual()) {
      problems.add(new Problem("JOB_FIELD_TYPE", path, "must be a string, not " + DefinitionParser.kind(value)));
    } else if (value.asText().isBlank()) {
      problems.add(new Problem("JOB_FIELD_BLANK", path, "must not be blank"));
    } else if (value.asText().length() > 256) {
      problems.add(new Problem("JOB_FIELD_TOO_LONG", path, "must be at most 256 characters"));
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
      problems.add(new Problem("JOB_FIELD_TYPE", path, "must be an object, not " + DefinitionParser.kind(value)));
    } else {
      return (ObjectNode) value;
    }
    return null;
  }

  private static void checkSize(byte[] body, long maxBytes) {
    if (body != null && body.length > maxBytes) {
      throw new InvalidJobException(413, List.of(new Problem("BODY_TOO_LARGE", "$",
          "the body is " + body.length + " bytes; the limit is " + maxBytes + " (MAX_PAYLOAD_BYTES)")), null);
    }
  }

  private static boolean isJson(String contentType) {
    return contentType.startsWith("application/json") || contentType.matches("^[a-z0-9.+-]+/[a-z0-9.+-]*\\+json.*");
  }

  private static Map<String, String> caseInsensitive(Map<String, String> headers) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> { if (k != null && v != null) map.put(k.toLowerCase(Locale.ROOT), v); });
    return map;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
