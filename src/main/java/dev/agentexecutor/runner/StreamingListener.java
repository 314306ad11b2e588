package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.state.Message;
import java.util.IdentityHashMap;
import java.util.Map;
import dev.agentexecutor.agent.RunListener;
import dev.agentexecutor.agent.state.AgentState;
import dev.agentexecutor.agent.state.ToolCall;
import dev.agentexecutor.agent.tools.ToolResult;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.util.Json;

/** Turns what a run does into the streamed events of the wire contract. */
final class StreamingListener implements RunListener {
  private final EventStream stream;
  private final String threadId;

  StreamingListener(EventStream stream, String threadId) {
    this.stream = stream;
    this.threadId = threadId;
  }

  /**
   * Every state event carries the whole state; messages and files are immutable, so each is
   * turned into JSON once per run and its tree reused by later events (otherwise a run of n
   * steps would convert O(n^2) messages).
   */
  private final Map<Object, JsonNode> trees = new IdentityHashMap<>();

  private JsonNode tree(Object immutableValue) {
    return trees.computeIfAbsent(immutableValue, Json::tree);
  }

  ObjectNode stateData(AgentState state) {
    ObjectNode data = Json.object();
    ArrayNode messages = data.putArray("messages");
    for (Message message : state.messages()) messages.add(tree(message));
    data.set("todos", Json.tree(state.todos()));
    ObjectNode files = data.putObject("files");
    state.files().forEach((path, file) -> files.set(path, tree(file)));
    return data;
  }

  @Override
  public void onStateUpdate(AgentState state) {
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.STATE_UPDATE, stateData(state)));
  }

  @Override
  public void onToken(String node, String token) {
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.LLM_STREAM, Json.object().put("token", token).put("node", node)));
  }

  @Override
  public void onToolStart(String node, ToolCall call) {
    ObjectNode data = Json.object().put("tool", call.name()).put("run_id", call.id()).put("node", node);
    data.set("input", call.args());
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.TOOL_START, data));
  }

  @Override
  public void onToolEnd(String node, ToolCall call, ToolResult result) {
    ObjectNode data = Json.object().put("tool", call.name()).put("run_id", call.id()).put("node", node)
        .put("output", result.output()).put("status", result.error() ? "error" : "success");
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.TOOL_END, data));
  }

  void error(String message, String context) {
    stream.publishAsync(threadId, new AgentEvent(AgentEvent.ERROR, Json.object().put("error", message).put("context", context)));
  }

  /** Publishes the final event and waits until every event of the run is stored. */
  void end() {
    stream.publishAsync(threadId, AgentEvent.end());
    stream.flush(threadId);
  }
}
