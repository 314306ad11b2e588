package dev.agentexecutor.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.util.Json;
import java.util.UUID;

/** Job JSON for tests: scripted definitions and ones pointed at the fake LLM server. */
public final class TestJobs {
  private TestJobs() {}

  public static String newJobId() {
    return "job-" + UUID.randomUUID();
  }

  public static ObjectNode job(String jobId, ObjectNode definition, String instructions) {
    ObjectNode job = Json.object().put("trace_id", "trace-" + jobId).put("job_id", jobId);
    job.set("agent_definition", definition);
    job.putObject("input_payload").put("instructions", instructions);
    return job;
  }

  /**
   * A single orchestrator whose model is the given provider/model, with an optional inline script.
   */
  public static ObjectNode orchestrator(String provider, String model, ArrayNode script) {
    ObjectNode definition = Json.object().put("name", "test-agent");
    ObjectNode node =
        definition.putArray("nodes").addObject().put("id", "main").put("type", "orchestrator");
    ObjectNode config =
        node.putObject("config").put("name", "main").put("system_prompt", "You are a test agent.");
    ObjectNode modelConfig =
        config.putObject("model").put("provider", provider).put("model", model);
    if (script != null) modelConfig.set("script", script);
    config.putArray("tools");
    return definition;
  }

  /** The classic three steps: write a file, then answer. */
  public static ObjectNode threeStepScripted(String jobId) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    ObjectNode call = script.addObject();
    call.put("content", "Writing the answer.");
    ObjectNode toolCall = call.putArray("tool_calls").addObject().put("name", "write_file");
    toolCall.putObject("args").put("file_path", "/answer.md").put("content", "forty-two");
    script.addObject().put("content", "The answer is in /answer.md.");
    return job(jobId, orchestrator("scripted", "scripted", script), "Answer the question.");
  }

  /** A scripted job that sleeps between steps, for cancellation and late-join tests. */
  public static ObjectNode slowScripted(String jobId, int steps, int delayMs) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i < steps; i++) {
      ObjectNode step = script.addObject().put("delay_ms", delayMs);
      ObjectNode toolCall = step.putArray("tool_calls").addObject().put("name", "write_file");
      toolCall
          .putObject("args")
          .put("file_path", "/step-" + i + ".txt")
          .put("content", "step " + i);
    }
    script.addObject().put("content", "done after " + steps + " steps");
    return job(jobId, orchestrator("scripted", "scripted", script), "Work slowly.");
  }
}
