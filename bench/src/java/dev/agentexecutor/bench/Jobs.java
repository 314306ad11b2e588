package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;

/** The scripted jobs every benchmark runs: the runtime's own cost, no model behind them. */
final class Jobs {
  private Jobs() {}

  /** Model call (write_file) → tool call → final answer: three checkpointed steps. */
  static ObjectNode threeStep(String jobId) {
    return TestJobs.threeStepScripted(jobId);
  }

  /**
   * Twenty model calls: the orchestrator plans, delegates to two subagents (five calls each),
   * writes six files and answers (ten calls).
   */
  static ObjectNode twentyStepTwoSubagents(String jobId) {
    return twentySteps(jobId, false, 0);
  }

  /**
   * The same work with both task calls in one reply, so that the subagents run in parallel, and one
   * more file to keep twenty model calls.
   */
  static ObjectNode twentyStepParallelSubagents(String jobId) {
    return twentySteps(jobId, true, 0);
  }

  /**
   * A twenty-step job whose subagents' model calls each take {@code subagentModelMillis}, with the
   * subagents one after the other or in parallel.
   */
  static ObjectNode twentySteps(String jobId, boolean parallel, int subagentModelMillis) {
    ArrayNode main = Json.MAPPER.createArrayNode();
    ObjectNode todos = toolCall(main.addObject(), "write_todos");
    todos
        .putArray("todos")
        .addObject()
        .put("content", "research and write")
        .put("status", "in_progress");
    ObjectNode research = main.addObject();
    toolCall(research, "task")
        .put("subagent_type", "researcher")
        .put("description", "Find three facts about X.");
    toolCall(parallel ? research : main.addObject(), "task")
        .put("subagent_type", "writer")
        .put("description", "Write a summary of the facts.");
    int files = parallel ? 7 : 6;
    for (int i = 0; i < files; i++)
      writeFile(main.addObject(), "/report/part-" + i + ".md", "Part " + i + " of the report.");
    main.addObject().put("content", "The report is in /report.");

    ObjectNode definition = Json.object().put("name", "bench-team");
    ArrayNode nodes = definition.putArray("nodes");
    node(nodes, "main", "orchestrator", "You coordinate a small team.", main);
    node(
        nodes,
        "researcher",
        "subagent",
        "You research facts.",
        subagentScript("/research.md", subagentModelMillis));
    node(
        nodes,
        "writer",
        "subagent",
        "You write summaries.",
        subagentScript("/summary.md", subagentModelMillis));
    return TestJobs.job(jobId, definition, "Write a report on X.");
  }

  /**
   * {@code steps} model calls that each write a new file or edit the previous one, then an answer.
   */
  static ObjectNode fileSteps(String jobId, int steps) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i < steps; i++) {
      String file = "/notes/step-" + (i - i % 2) + ".md";
      if (i % 2 == 0) {
        writeFile(script.addObject(), file, ("Step " + i + " notes: ").repeat(8));
      } else {
        toolCall(script.addObject(), "edit_file")
            .put("file_path", file)
            .put("old_string", "Step " + (i - 1) + " notes")
            .put("new_string", "Step " + i + " edit");
      }
    }
    script.addObject().put("content", "Done after " + steps + " steps.");
    return TestJobs.job(
        jobId, TestJobs.orchestrator("scripted", "scripted", script), "Take notes.");
  }

  /** The job as the runner takes it, parsed once at the edge. */
  static Job event(ObjectNode job) {
    return JobParser.fromJobNode(job);
  }

  /**
   * The same job under another id and a fresh trace, sharing the parsed definition and input, as
   * one client's jobs would.
   */
  static Job withId(Job job, String jobId) {
    return new Job(
        jobId,
        "trace-" + jobId,
        job.tenant(),
        job.definition(),
        job.input(),
        TraceContext.fresh(),
        job.source());
  }

  private static ArrayNode subagentScript(String file, int modelMillis) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    writeFile(script.addObject(), file, "draft");
    toolCall(script.addObject(), "read_file").put("file_path", file);
    toolCall(script.addObject(), "edit_file")
        .put("file_path", file)
        .put("old_string", "draft")
        .put("new_string", "final");
    toolCall(script.addObject(), "ls").put("path", "/");
    script.addObject().put("content", "Done: see " + file + ".");
    if (modelMillis > 0)
      script.forEach(response -> ((ObjectNode) response).put("delay_ms", modelMillis));
    return script;
  }

  private static void node(
      ArrayNode nodes, String name, String type, String prompt, ArrayNode script) {
    ObjectNode config =
        nodes
            .addObject()
            .put("id", name)
            .put("type", type)
            .putObject("config")
            .put("name", name)
            .put("description", prompt)
            .put("system_prompt", prompt);
    config
        .putObject("model")
        .put("provider", "scripted")
        .put("model", "scripted")
        .set("script", script);
    config.putArray("tools");
  }

  private static void writeFile(ObjectNode response, String path, String content) {
    toolCall(response, "write_file").put("file_path", path).put("content", content);
  }

  /** Adds a tool call to the response and returns its args to fill in. */
  private static ObjectNode toolCall(ObjectNode response, String tool) {
    ArrayNode calls =
        response.has("tool_calls")
            ? (ArrayNode) response.get("tool_calls")
            : response.putArray("tool_calls");
    return calls.addObject().put("name", tool).putObject("args");
  }
}
