package dev.agentexecutor.agent.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One tool call waiting for a person's decision before it runs (a node's {@code interrupt_on}).
 * {@code id} is {@code namespace|tool_call_id}: stable across resumes and unique in a thread's run.
 *
 * @param args the arguments the model asked for
 * @param allowedDecisions which of approve, edit and reject the person may choose
 * @param node the agent that made the call
 * @param namespace "" for the orchestrator, {@code task:{tool_call_id}} for a subagent
 * @param argsSchema the tool's JSON Schema, against which edited arguments are checked
 */
public record Interrupt(
    String id,
    @JsonProperty("tool_call_id") String toolCallId,
    String tool,
    JsonNode args,
    @JsonProperty("allowed_decisions") List<String> allowedDecisions,
    String description,
    String node,
    String namespace,
    @JsonProperty("args_schema") JsonNode argsSchema) {

  public Interrupt {
    allowedDecisions = List.copyOf(allowedDecisions);
  }

  /** The id of the interrupt of call {@code toolCallId} in {@code namespace}. */
  public static String idOf(String namespace, String toolCallId) {
    return namespace + "|" + toolCallId;
  }
}
