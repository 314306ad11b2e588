package dev.agentexecutor.core.problem;

import java.util.List;

/**
 * Every stable code a {@link Problem} can carry, with the HTTP status a request failing with it
 * gets and what it means. docs/problem-codes.md is this list as a table (a test keeps them equal).
 */
public enum ProblemCode {
  BODY_EMPTY("The body (or the event's data) is empty or holds no JSON value."),
  BODY_NOT_JSON("The body is not valid JSON."),
  BODY_JSON_LIMIT("The JSON nests deeper than 200 levels or has a number longer than 100 digits."),
  BODY_TOO_LARGE(413, "The body is larger than MAX_PAYLOAD_BYTES."),

  EVT_NOT_CLOUDEVENT("Neither a binary-mode (ce-* headers) nor a structured-mode CloudEvent."),
  EVT_NOT_OBJECT("A structured CloudEvent that is not a JSON object."),
  EVT_ATTRIBUTE("A CloudEvent attribute is missing, blank, not a string, or (tenant) malformed."),
  EVT_SPECVERSION("A CloudEvent specversion other than 1.0."),
  EVT_TYPE(
      "A CloudEvent type other than dev.my-platform.agent.execute or dev.my-platform.agent.resume."),
  EVT_CONTENT_TYPE(415, "The event or its data is not JSON."),
  EVT_NO_DATA("The CloudEvent carries no data (the job)."),
  EVT_INVALID("The CloudEvent (or the input as a whole) cannot be read."),
  EVT_AMBIGUOUS("ce-* headers and a structured event body were both sent and disagree."),

  JOB_NOT_OBJECT("The job is not a JSON object."),
  JOB_FIELD_MISSING(
      "A required job field (job_id, trace_id, agent_definition, input_payload) is missing."),
  JOB_FIELD_TYPE("A job field has the wrong JSON type."),
  JOB_FIELD_BLANK("job_id, trace_id, thread_id or checkpoint_id is blank."),
  JOB_FIELD_TOO_LONG("job_id, trace_id, thread_id or checkpoint_id is longer than 256 characters."),
  JOB_FIELD_FORMAT(
      "job_id, trace_id, thread_id or checkpoint_id holds characters outside letters, digits and"
          + " . _ : @ -."),
  JOB_FORK_THREAD(
      "checkpoint_id without a thread_id other than the job's own id (a fork reads thread_id and"
          + " writes the thread job_id)."),
  JOB_MULTITASK_STRATEGY("multitask_strategy is not reject, enqueue or interrupt."),

  INPUT_MESSAGES("input_payload.messages is not an array."),
  INPUT_MESSAGE("An input message is not an object {role, content}."),
  INPUT_MESSAGE_ROLE(
      "An input message has no role, or one other than system, user, assistant, tool."),
  INPUT_MESSAGE_CONTENT("An input message's content is neither a string nor a list of parts."),
  INPUT_INSTRUCTIONS("input_payload.instructions is not a string."),
  INPUT_FILES(
      "input_payload.files is not {path: text}, or a path is blank, too long, has '..' or control characters."),
  INPUT_EMPTY("The input gives the agent nothing to do: no messages, instructions or context."),
  INPUT_FILE_TOO_LARGE("A seeded file is longer than MAX_FILE_CHARS."),
  INPUT_FILES_TOO_MANY("More seeded files than MAX_FILES."),
  INPUT_FILES_TOO_LARGE("The seeded files and their paths hold more than MAX_FILES_TOTAL_CHARS."),
  INPUT_MESSAGE_TOO_LARGE(
      "An input message (or instructions with context) is longer than MAX_MESSAGE_CHARS."),

  DEF_NOT_OBJECT("A definition, node, tool or edge that must be a JSON object is not one."),
  DEF_NOT_ARRAY("nodes, edges, tool_definitions or a node's tools is not an array."),
  DEF_FIELD_MISSING("A required definition field is missing."),
  DEF_FIELD_TYPE("A definition field has the wrong JSON type."),
  DEF_FIELD_BLANK("A required definition field is blank."),
  DEF_NODE_CONFIG("A node has no config object."),
  DEF_NODE_TYPE("A node type other than orchestrator, specialist, subagent or agent."),
  DEF_NODE_NAME("A node name other than 1-64 letters, digits, '_', '.' or '-'."),
  DEF_NODE_DUPLICATE("Two nodes share an id."),
  DEF_ORCHESTRATOR_DUPLICATE("More than one node is the orchestrator."),
  DEF_SUBAGENT_DUPLICATE("Two subagents share a name."),
  DEF_SUBAGENT_RESERVED("A subagent is named general-purpose, the built-in subagent's name."),
  DEF_EDGE_UNKNOWN_NODE("An edge names a node id that does not exist."),
  DEF_MODEL("A node's model is not an object."),
  DEF_MODEL_PROVIDER("A model provider other than openai, anthropic or scripted."),
  DEF_MODEL_TEMPERATURE("A temperature outside 0 to 2."),
  DEF_MODEL_MAX_TOKENS("max_tokens outside 1 to 1,000,000."),
  DEF_MODEL_SCRIPT("A scripted model without script: [responses] or {\"file\": path}."),
  DEF_SCRIPT_TOO_LONG("An inline script with more than 10,000 responses."),
  DEF_SCRIPT_RESPONSE(
      "A script response that is not an object, has content that is not a string, or has neither content nor tool calls."),
  DEF_SCRIPT_TOOL_CALLS("A script response's tool_calls are not [{name, args?, id?}]."),
  DEF_SCRIPT_DELAY("A script response's delay_ms is not 0 to 60,000."),
  DEF_SCRIPT_USAGE(
      "A script response's usage is not {input_tokens, output_tokens} of whole numbers."),
  DEF_SCRIPT_FILE(
      "A script file path that is absolute, has '..', control characters or is too long."),
  DEF_TOOL_NAME("A tool name other than 1-64 letters, digits, '_' or '-'."),
  DEF_TOOL_RESERVED("A job-defined tool takes a built-in tool's name."),
  DEF_TOOL_DUPLICATE("Two job-defined tools share a name."),
  DEF_TOOL_PARAMETERS("A tool's parameters are not a JSON Schema of type object."),
  DEF_TOOL_RUNTIME(
      "A tool without runtime.http {url, method?, headers?} or runtime.mcp {url, transport?}."),
  DEF_TOOL_SCRIPT("A Python script tool: this runtime never executes code from a job."),
  DEF_TOOL_URL("A tool URL that is not an absolute http(s) URL."),
  DEF_TOOL_METHOD("A tool method other than GET, POST, PUT, PATCH or DELETE."),
  DEF_TOOL_HEADERS(
      "Tool headers that are not valid names to one-line strings, or name a header the HTTP client sets."),
  DEF_MODEL_CONTEXT_WINDOW("A model's context_window outside 1,000 to 10,000,000 tokens."),
  DEF_RESPONSE_FORMAT(
      "A node's response_format is not a valid JSON Schema (draft 2020-12) of type object."),
  DEF_SUMMARIZATION(
      "A node's summarization is not {trigger: tokens (a whole number over 1) or a fraction of the"
          + " context window (over 0, at most 1), keep_messages: 1 to 1,000}."),
  DEF_MCP_URL("An MCP tool server's url is not an absolute http(s) URL."),
  DEF_MCP_TRANSPORT("An MCP tool server's transport is not streamable_http or sse."),
  DEF_MCP_HEADERS(
      "An MCP tool server's headers_from_env is not {header: ENV_VAR}: a header name a job may set"
          + " and the name of an environment variable (never a value)."),
  DEF_MCP_TOOLS("An MCP tool server's tools allow-list is not an array of tool names."),
  DEF_MCP_RUNTIME("An MCP tool server definition that also has parameters or another runtime."),
  DEF_TOOL_REF("An entry of a node's tools is not a string."),
  DEF_TOOL_UNKNOWN("A node names a tool that is neither built in nor in tool_definitions."),
  DEF_INTERRUPT_TOOL(
      "A node's interrupt_on names a tool the node does not have (task is the orchestrator's only)."),
  DEF_INTERRUPT_DECISION(
      "interrupt_on allowed_decisions is not a non-empty array of approve, edit and reject."),

  DECISIONS_INVALID(
      "A resume's decisions are not one per pending interrupt, in order, each {type: approve | edit"
          + " (with args matching the tool's args_schema) | reject (message?)} of a type the"
          + " interrupt allows."),
  NOT_INTERRUPTED(409, "The job is not interrupted (never parked, already resumed, or finished)."),
  QUERY_STATUS(
      "A status filter that names something other than queued, running, interrupted, completed,"
          + " failed or cancelled."),
  QUERY_LIMIT("limit is not a whole number from 1 to 200, or is given twice."),
  QUERY_CURSOR("cursor is not one this service gave out (pass next_cursor back as it is)."),
  QUERY_THREAD_ID(
      "thread_id is blank, longer than 256 characters, holds characters outside letters, digits"
          + " and . _ : @ -, or is given twice."),

  CHECKPOINT_INCOMPATIBLE(
      409, "The thread's checkpoints were written by another checkpointer or cannot be decoded."),

  QUERY_PARAMETER(
      "A query parameter is not valid (limit outside its range, before not a checkpoint id)."),
  CHECKPOINT_NOT_FOUND(
      404,
      "checkpoint_id names no orchestrator checkpoint of thread_id (or the thread is unknown)."),
  THREAD_BUSY(
      409,
      "The thread has a queued, running or interrupted run and the job's multitask_strategy is"
          + " reject."),
  THREAD_UNAVAILABLE(
      409, "thread_id names another tenant's thread: choose another (thread ids are global).");

  private final int status;
  private final String meaning;

  ProblemCode(String meaning) {
    this(400, meaning);
  }

  ProblemCode(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  /** The HTTP status of a request refused with this problem. */
  public int status() {
    return status;
  }

  /** One line saying what the problem is. */
  public String meaning() {
    return meaning;
  }

  /**
   * The status of a request refused for {@code problems}: the first one's that is not 400 (a body
   * too large or of the wrong type is refused before anything else is looked at), else 400.
   */
  public static int statusOf(List<Problem> problems) {
    for (Problem problem : problems) {
      int status = of(problem.code()).map(ProblemCode::status).orElse(400);
      if (status != 400) return status;
    }
    return 400;
  }

  private static java.util.Optional<ProblemCode> of(String code) {
    for (ProblemCode candidate : values()) {
      if (candidate.name().equals(code)) return java.util.Optional.of(candidate);
    }
    return java.util.Optional.empty();
  }
}
