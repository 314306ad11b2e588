package dev.agentexecutor.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A job as clients send it (the data of a dev.my-platform.agent.execute CloudEvent, or the body
 * of POST /invoke). {@code jobId} is also the thread id of the job's checkpoints and events.
 */
public record JobExecutionEvent(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("agent_definition") ObjectNode agentDefinition,
    @JsonProperty("input_payload") ObjectNode inputPayload) {}
