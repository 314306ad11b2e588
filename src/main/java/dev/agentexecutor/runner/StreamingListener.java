package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.util.Json;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a run does into the streamed events of the wire contract, on its thread's stream
 * (which several runs may share): every event names the run's {@code job_id}. State events carry
 * what changed since the previous one; the first of a run and the last before {@code end} carry the
 * whole state (a snapshot), so a client that follows a run, or joins it late, ends with all of it.
 */
final class StreamingListener implements RunListener {
  private final EventStream stream;
  private final String threadId;
  private final String jobId;

  /**
   * The state the last state event showed (null before the first), and whether it showed all of it.
   */
  private AgentState shown;

  private boolean shownWhole;

  StreamingListener(EventStream stream, String threadId, String jobId) {
    this.stream = stream;
    this.threadId = threadId;
    this.jobId = jobId;
  }

  /** A run on its own thread (thread id = job id). */
  StreamingListener(EventStream stream, String threadId) {
    this(stream, threadId, threadId);
  }

  /**
   * Messages and files are immutable, so each is turned into JSON once per run and its tree reused
   * (by the final snapshot, which repeats them).
   */
  private final Map<Object, JsonNode> trees = new IdentityHashMap<>();

  private JsonNode tree(Object immutableValue) {
    return trees.computeIfAbsent(immutableValue, Json::tree);
  }

  /** The whole state: {@code snapshot: true}, every message, the todos and every file. */
  ObjectNode snapshot(AgentState state) {
    ObjectNode data = Json.object();
    ArrayNode messages = data.putArray("messages");
    for (Message message : state.messages()) messages.add(tree(message));
    data.set("todos", Json.tree(state.todos()));
    ObjectNode files = data.putObject("files");
    state.files().forEach((path, file) -> files.set(path, tree(file)));
    data.put("snapshot", true);
    data.put("message_offset", 0);
    return data;
  }

  /**
   * What changed since {@code before}: the messages appended (from {@code message_offset}), the
   * files written, and the todos when they changed; null when only a snapshot can say it (earlier
   * messages rewritten by summarisation, or a file removed).
   */
  ObjectNode delta(AgentState before, AgentState state) {
    List<Message> old = before.messages();
    List<Message> now = state.messages();
    if (old.size() > now.size()) return null;
    for (int i = 0; i < old.size(); i++)
      if (old.get(i) != now.get(i) && !old.get(i).equals(now.get(i))) return null;
    if (!state.files().keySet().containsAll(before.files().keySet())) return null;
    ObjectNode data = Json.object();
    ArrayNode messages = data.putArray("messages");
    for (Message message : now.subList(old.size(), now.size())) messages.add(tree(message));
    if (!before.todos().equals(state.todos())) data.set("todos", Json.tree(state.todos()));
    ObjectNode files = data.putObject("files");
    state
        .files()
        .forEach(
            (path, file) -> {
              FileData was = before.files().get(path);
              if (was != file && !file.equals(was)) files.set(path, tree(file));
            });
    data.put("snapshot", false);
    data.put("message_offset", old.size());
    return data;
  }

  /** The orchestrator's final answer ends the run: its state event is the closing snapshot. */
  @Override
  public void onStateUpdate(AgentState state) {
    Message last = state.lastMessage();
    boolean finalAnswer = last != null && last.role() == Role.ASSISTANT && !last.hasToolCalls();
    ObjectNode delta = shown == null || finalAnswer ? null : delta(shown, state);
    publishState(state, delta == null ? snapshot(state) : delta, delta == null);
  }

  private void publishState(AgentState state, ObjectNode data, boolean whole) {
    data.put("job_id", jobId);
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.STATE_UPDATE, data));
    shown = state;
    shownWhole = whole;
  }

  /** A run that stops early (failure, cancellation) still shows its whole state before it ends. */
  private void closingSnapshot() {
    if (shown != null && !shownWhole) publishState(shown, snapshot(shown), true);
  }

  @Override
  public void onToken(Origin origin, String token) {
    ObjectNode data = Json.object().put("token", token).put("node", origin.node());
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.LLM_STREAM, withOrigin(data, origin)));
  }

  @Override
  public void onToolStart(Origin origin, ToolCall call) {
    ObjectNode data =
        Json.object().put("tool", call.name()).put("run_id", call.id()).put("node", origin.node());
    data.set("input", call.args());
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.TOOL_START, withOrigin(data, origin)));
  }

  @Override
  public void onToolEnd(Origin origin, ToolCall call, ToolResult result) {
    ObjectNode data =
        Json.object()
            .put("tool", call.name())
            .put("run_id", call.id())
            .put("node", origin.node())
            .put("output", result.output())
            .put("status", result.error() ? "error" : "success");
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.TOOL_END, withOrigin(data, origin)));
  }

  @Override
  public void onSubagentStart(Origin subagent, String subagentType, String description) {
    ObjectNode data =
        Json.object()
            .put("subagent_type", subagentType)
            .put("description", description)
            .put("node", subagent.node());
    stream.publishAsync(
        threadId, new AgentEvent(AgentEvent.SUBAGENT_START, withOrigin(data, subagent)));
  }

  @Override
  public void onSubagentEnd(Origin subagent, String status) {
    ObjectNode data = Json.object().put("status", status).put("node", subagent.node());
    stream.publishAsync(
        threadId, new AgentEvent(AgentEvent.SUBAGENT_END, withOrigin(data, subagent)));
  }

  /** Where the event comes from: namespace, the task call of a subagent, the job (run). */
  private static ObjectNode withOrigin(ObjectNode data, Origin origin) {
    data.put("namespace", origin.namespace());
    if (origin.parentRunId() != null) data.put("parent_run_id", origin.parentRunId());
    data.put("job_id", origin.jobId());
    return data;
  }

  void error(String message, String context) {
    closingSnapshot();
    stream.publishAsync(threadId, AgentEvent.error(message, context, jobId));
  }

  /**
   * The run parked: its whole state, then the interrupts it waits on (the caller ends the stream).
   */
  void interrupted(String jobId, JsonNode interrupts) {
    closingSnapshot();
    ObjectNode data = Json.object();
    data.set("interrupts", interrupts);
    data.put("job_id", jobId);
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.INTERRUPT, data));
  }

  /** Publishes the final event and waits until every event of the run is stored. */
  void end() {
    closingSnapshot();
    stream.publishAsync(threadId, AgentEvent.end(jobId));
    stream.flush(threadId);
  }
}
