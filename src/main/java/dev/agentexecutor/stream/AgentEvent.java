package dev.agentexecutor.stream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.util.Json;

/** One streamed event, on the wire as {@code {"event_type": ..., "data": {...}}}. */
public record AgentEvent(@JsonProperty("event_type") String eventType, JsonNode data) {
  public static final String STATE_UPDATE = "on_state_update";
  public static final String LLM_STREAM = "on_llm_stream";
  public static final String TOOL_START = "on_tool_start";
  public static final String TOOL_END = "on_tool_end";
  public static final String SUBAGENT_START = "on_subagent_start";
  public static final String SUBAGENT_END = "on_subagent_end";

  /** The run parked for people's decisions: {@code {"interrupts": [...]}}, then {@code end}. */
  public static final String INTERRUPT = "on_interrupt";

  public static final String ERROR = "error";
  public static final String END = "end";

  public static AgentEvent end() {
    return new AgentEvent(END, Json.object());
  }

  /** The end of one run (job) on a thread that may hold several: {@code {"job_id": ...}}. */
  public static AgentEvent end(String jobId) {
    return new AgentEvent(END, Json.object().put("job_id", jobId));
  }

  /** A run's error: {@code {"error": message, "context": what kind, "job_id": ...}}. */
  public static AgentEvent error(String message, String context, String jobId) {
    return new AgentEvent(
        ERROR, Json.object().put("error", message).put("context", context).put("job_id", jobId));
  }

  @JsonIgnore // a getter to Jackson: without this the wire JSON would gain an "end" field
  public boolean isEnd() {
    return END.equals(eventType);
  }

  public String toJson() {
    return Json.write(this);
  }
}
