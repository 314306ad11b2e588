package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.util.UUID;

/** Builds job CloudEvents the way clients send them. */
public final class CloudEvents {
  public static final String EXECUTE_TYPE = "dev.my-platform.agent.execute";
  public static final String RESUME_TYPE = "dev.my-platform.agent.resume";
  public static final String CANCEL_TYPE = "dev.my-platform.agent.cancel";

  private CloudEvents() {}

  public static ObjectNode structured(JsonNode job) {
    ObjectNode event =
        Json.object()
            .put("specversion", "1.0")
            .put("id", UUID.randomUUID().toString())
            .put("source", "/test/client")
            .put("type", EXECUTE_TYPE)
            .put("datacontenttype", "application/json");
    event.set("data", job);
    return event;
  }

  /** A structured resume event: data {job_id, trace_id, decisions}. */
  public static ObjectNode resume(String jobId, JsonNode decisions) {
    ObjectNode data = Json.object().put("job_id", jobId).put("trace_id", "trace-resume-" + jobId);
    data.set("decisions", decisions);
    return structured(data).put("type", RESUME_TYPE);
  }

  /** A structured-mode request to cancel the job: data {job_id, trace_id}. */
  public static ObjectNode cancel(String jobId) {
    ObjectNode event = structured(Json.object().put("job_id", jobId).put("trace_id", "t-" + jobId));
    return event.put("type", CANCEL_TYPE);
  }

  /** Headers of a binary-mode event; the body is the job JSON. */
  public static String[] binaryHeaders(String... extra) {
    String[] base = {
      "ce-specversion", "1.0",
      "ce-id", UUID.randomUUID().toString(),
      "ce-source", "/test/client",
      "ce-type", EXECUTE_TYPE,
      "Content-Type", "application/json"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }
}
