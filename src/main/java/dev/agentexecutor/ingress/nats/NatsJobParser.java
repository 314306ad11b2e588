package dev.agentexecutor.ingress.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.JobExecutionEvent;
import dev.agentexecutor.job.Problem;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a job CloudEvent from a NATS message: structured JSON mode, or binary mode with
 * {@code ce-*} headers and the job JSON as body. A stop-gap until {@code job.JobParser} lands;
 * it checks only what the worker needs and names the job id whenever it is readable.
 */
final class NatsJobParser {
  private static final EventFormat FORMAT =
      EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
  private static final List<String> BINARY_REQUIRED = List.of("ce-id", "ce-source", "ce-type");

  /** A readable job and the trace headers that came with it (CloudEvent extensions included). */
  record ParsedJob(JobExecutionEvent job, Map<String, String> traceHeaders) {}

  private final long maxPayloadBytes;

  NatsJobParser(long maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** Headers are keyed in lower case. */
  ParsedJob parse(Map<String, String> headers, byte[] body) {
    if (body.length > maxPayloadBytes) {
      throw new InvalidJobException(413, List.of(new Problem("payload_too_large", "$",
          "message of %d bytes is larger than MAX_PAYLOAD_BYTES (%d)".formatted(body.length, maxPayloadBytes))), null);
    }
    return headers.containsKey("ce-specversion") ? parseBinary(headers, body) : parseStructured(headers, body);
  }

  private ParsedJob parseBinary(Map<String, String> headers, byte[] body) {
    JsonNode data = readJson(body);
    List<Problem> problems = new ArrayList<>();
    for (String header : BINARY_REQUIRED) {
      if (headers.getOrDefault(header, "").isBlank()) {
        problems.add(new Problem("cloudevent_attribute_missing", header, "binary-mode CloudEvent without " + header));
      }
    }
    return toJob(data, problems, headers);
  }

  private ParsedJob parseStructured(Map<String, String> headers, byte[] body) {
    CloudEvent event;
    try {
      event = FORMAT.deserialize(body);
    } catch (RuntimeException e) {
      JsonNode raw = readJson(body);
      throw invalid(List.of(new Problem("invalid_cloudevent", "$", "not a structured CloudEvent: " + e.getMessage())),
          raw.path("data"));
    }
    if (event.getData() == null) {
      throw invalid(List.of(new Problem("missing_field", "$.data", "the CloudEvent has no data")), null);
    }
    Map<String, String> traceHeaders = new java.util.HashMap<>(headers);
    for (String name : List.of("traceparent", "tracestate")) {
      Object value = event.getExtension(name);
      if (value != null) traceHeaders.putIfAbsent(name, value.toString());
    }
    return toJob(readJson(event.getData().toBytes()), new ArrayList<>(), traceHeaders);
  }

  private static ParsedJob toJob(JsonNode data, List<Problem> problems, Map<String, String> traceHeaders) {
    if (!data.isObject()) {
      problems.add(new Problem("wrong_type", "$.data", "the job must be a JSON object"));
    } else {
      requireText(data, "job_id", problems);
      requireObject(data, "agent_definition", problems);
      requireObject(data, "input_payload", problems);
    }
    if (!problems.isEmpty()) throw invalid(problems, data);
    var job = new JobExecutionEvent(
        data.path("trace_id").asText(null),
        data.get("job_id").asText(),
        (ObjectNode) data.get("agent_definition"),
        (ObjectNode) data.get("input_payload"));
    return new ParsedJob(job, traceHeaders);
  }

  private static void requireText(JsonNode data, String field, List<Problem> problems) {
    JsonNode value = data.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      problems.add(new Problem("missing_field", "$.data." + field, field + " must be a non-empty string"));
    }
  }

  private static void requireObject(JsonNode data, String field, List<Problem> problems) {
    JsonNode value = data.get(field);
    if (value == null || !value.isObject()) {
      problems.add(new Problem("missing_field", "$.data." + field, field + " must be a JSON object"));
    }
  }

  private static JsonNode readJson(byte[] bytes) {
    try {
      return Json.parse(bytes);
    } catch (RuntimeException e) {
      throw invalid(List.of(new Problem("invalid_json", "$", "not JSON: " + e.getMessage())), null);
    }
  }

  /** The failure, carrying the job id when the data has a readable one. */
  private static InvalidJobException invalid(List<Problem> problems, JsonNode data) {
    JsonNode id = data == null ? null : data.path("job_id");
    String jobId = id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    return new InvalidJobException(400, problems, jobId);
  }
}
