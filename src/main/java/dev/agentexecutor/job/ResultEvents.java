package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.types.Time;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Builds the result CloudEvents of the wire contract: dev.my-platform.agent.completed with {job_id,
 * result:{output, status, usage, structured_response?, usage_by_node?, usage_by_model?}} and
 * dev.my-platform.agent.failed with {job_id, error:{message, type, stack_trace}},
 * dev.my-platform.agent.cancelled with {job_id, thread_id, error:{message, type: "Cancelled"}} and
 * dev.my-platform.agent.interrupted with {job_id, thread_id, interrupts} when a job parks; source
 * agent-executor-service, subject = job id, traceparent continuing the job's trace.
 */
public final class ResultEvents {
  public static final String COMPLETED_TYPE = "dev.my-platform.agent.completed";
  public static final String FAILED_TYPE = "dev.my-platform.agent.failed";
  public static final String CANCELLED_TYPE = "dev.my-platform.agent.cancelled";

  /** The error type of a cancelled job, in its event and /state. */
  public static final String CANCELLED_ERROR = "Cancelled";

  /** A job parked for people's decisions: data {job_id, thread_id, interrupts}. Not final. */
  public static final String INTERRUPTED_TYPE = "dev.my-platform.agent.interrupted";

  public static final URI SOURCE = URI.create("agent-executor-service");
  private static final JsonFormat FORMAT =
      (JsonFormat) EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

  private ResultEvents() {}

  public static CloudEvent completed(String jobId, String output, Usage usage, TraceContext trace) {
    return completed(jobId, output, usage, null, Map.of(), Map.of(), trace);
  }

  /**
   * A completed result: {@code structured_response} when the orchestrator has a response_format,
   * and the usage per node and per model ({@code provider/model}) of the run's model calls.
   */
  public static CloudEvent completed(
      String jobId,
      String output,
      Usage usage,
      JsonNode structuredResponse,
      Map<String, Usage> usageByNode,
      Map<String, Usage> usageByModel,
      TraceContext trace) {
    return completed(
        jobId, null, output, usage, structuredResponse, usageByNode, usageByModel, trace);
  }

  /** The same, naming the thread the job ran on ({@code thread_id}; none when null). */
  public static CloudEvent completed(
      String jobId,
      String threadId,
      String output,
      Usage usage,
      JsonNode structuredResponse,
      Map<String, Usage> usageByNode,
      Map<String, Usage> usageByModel,
      TraceContext trace) {
    ObjectNode data = Json.object().put("job_id", jobId);
    if (threadId != null) data.put("thread_id", threadId);
    ObjectNode result = data.putObject("result");
    result.put("output", output);
    result.put("status", "completed");
    result.set("usage", Json.tree(usage));
    if (structuredResponse != null) result.set("structured_response", structuredResponse);
    if (!usageByNode.isEmpty()) result.set("usage_by_node", Json.tree(usageByNode));
    if (!usageByModel.isEmpty()) result.set("usage_by_model", Json.tree(usageByModel));
    return build(COMPLETED_TYPE, jobId, data, trace);
  }

  public static CloudEvent failed(
      String jobId, String message, String type, String stackTrace, TraceContext trace) {
    return failed(jobId, null, message, type, stackTrace, trace);
  }

  /** The same, naming the thread the job ran on, or was to run on ({@code thread_id}). */
  public static CloudEvent failed(
      String jobId,
      String threadId,
      String message,
      String type,
      String stackTrace,
      TraceContext trace) {
    ObjectNode data = Json.object();
    data.put("job_id", jobId);
    if (threadId != null) data.put("thread_id", threadId);
    ObjectNode error = data.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("stack_trace", stackTrace == null ? "" : stackTrace);
    return build(FAILED_TYPE, jobId, data, trace);
  }

  /**
   * A cancelled job's result: {@code {job_id, thread_id, error: {message, type: "Cancelled"}}}, on
   * its own subject so that consumers of failures do not mistake a cancel for a fault.
   */
  public static CloudEvent cancelled(
      String jobId, String threadId, String message, TraceContext trace) {
    ObjectNode data = Json.object();
    data.put("job_id", jobId);
    data.put("thread_id", threadId);
    ObjectNode error = data.putObject("error");
    error.put("message", message);
    error.put("type", CANCELLED_ERROR);
    return build(CANCELLED_TYPE, jobId, data, trace);
  }

  /**
   * A job parked until people decide: every pending interrupt ({@code id, tool_call_id, tool, args,
   * allowed_decisions, description, node, namespace, args_schema}), in call order.
   */
  public static CloudEvent interrupted(
      String jobId, String threadId, JsonNode interrupts, TraceContext trace) {
    ObjectNode data = Json.object().put("job_id", jobId).put("thread_id", threadId);
    data.set("interrupts", interrupts);
    return build(INTERRUPTED_TYPE, jobId, data, trace);
  }

  /** "completed", "cancelled", "interrupted" or "failed", from the event type. */
  public static String status(CloudEvent event) {
    return switch (event.getType()) {
      case COMPLETED_TYPE -> "completed";
      case CANCELLED_TYPE -> "cancelled";
      case INTERRUPTED_TYPE -> "interrupted";
      default -> "failed";
    };
  }

  /** The event in structured JSON mode (what NATS carries and the job store keeps). */
  public static byte[] toJson(CloudEvent event) {
    return FORMAT.serialize(event);
  }

  /**
   * The event in structured JSON mode as a tree (what the job store keeps), built from the event's
   * attributes without writing it out and reading it back: the same tree as parsing {@link
   * #toJson}, at a fraction of the cost on every job's end.
   */
  public static JsonNode toJsonNode(CloudEvent event) {
    ObjectNode tree = Json.object();
    tree.put("specversion", event.getSpecVersion().toString());
    tree.put("id", event.getId());
    tree.put("source", event.getSource().toString());
    tree.put("type", event.getType());
    if (event.getDataContentType() != null) tree.put("datacontenttype", event.getDataContentType());
    if (event.getDataSchema() != null) tree.put("dataschema", event.getDataSchema().toString());
    if (event.getSubject() != null) tree.put("subject", event.getSubject());
    if (event.getTime() != null) tree.put("time", Time.writeTime(event.getTime()));
    for (String name : event.getExtensionNames()) {
      Object value = event.getExtension(name);
      switch (value) {
        case Boolean flag -> tree.put(name, flag);
        case Integer number -> tree.put(name, number);
        default -> tree.put(name, String.valueOf(value));
      }
    }
    if (event.getData() != null) {
      if (isJson(event.getDataContentType()))
        tree.set("data", Json.parse(event.getData().toBytes()));
      else return Json.parse(toJson(event)); // binary data: the SDK's own encoding (data_base64)
    }
    return tree;
  }

  private static boolean isJson(String contentType) {
    return contentType != null
        && (contentType.startsWith("application/json") || contentType.startsWith("text/json"));
  }

  public static CloudEvent fromJson(JsonNode json) {
    return FORMAT.deserialize(Json.writeBytes(json));
  }

  public static JsonNode data(CloudEvent event) {
    return event.getData() == null ? Json.object() : Json.parse(event.getData().toBytes());
  }

  private static CloudEvent build(String type, String jobId, ObjectNode data, TraceContext trace) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(Ids.uuid())
            .withSource(SOURCE)
            .withType(type)
            .withSubject(jobId == null ? "unknown" : jobId)
            .withTime(OffsetDateTime.now(ZoneOffset.UTC))
            .withDataContentType("application/json")
            .withData(Json.writeBytes(data));
    if (trace != null) {
      builder.withExtension("traceparent", trace.traceparent());
      if (trace.tracestate() != null) builder.withExtension("tracestate", trace.tracestate());
    }
    return builder.build();
  }
}
