package dev.agentexecutor.checkpoint.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.state.AgentState;
import dev.agentexecutor.agent.state.FileData;
import dev.agentexecutor.agent.state.Message;
import dev.agentexecutor.agent.state.Todo;
import dev.agentexecutor.agent.state.Usage;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an {@link AgentState} maps onto LangGraph channels: which channels changed since the parent
 * and the blobs that record them, and back again. The layout is described in docs/checkpoints.md.
 */
final class StateChannels {
  static final String MESSAGES = "messages";
  static final String TODOS = "todos";
  static final String EXTRA = "extra";
  static final String FILE_PREFIX = "files:";
  static final String USAGE = "usage";
  static final String MODEL_CALLS = "model_calls";

  /** A whole value, serialised with {@link Json}. */
  static final String TYPE_JSON = "json";
  /** Messages appended to the value at version {@code base}: {@code {"base", "append": [...]}}. */
  static final String TYPE_DELTA = "json-delta";
  /** No value: a deleted file (LangGraph's name for an empty channel). */
  static final String TYPE_EMPTY = "empty";

  private static final TypeReference<List<Message>> MESSAGE_LIST = new TypeReference<>() {};
  private static final TypeReference<List<Todo>> TODO_LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, JsonNode>> JSON_MAP = new TypeReference<>() {};
  private static final TypeReference<FileData> FILE = new TypeReference<>() {};
  private static final TypeReference<MessagesDelta> DELTA = new TypeReference<>() {};

  record MessagesDelta(String base, List<Message> append) {}

  /** What one put stores: the blobs of the changed channels and every channel's version after it. */
  record Changes(List<Blob> blobs, Map<String, String> versions) {}

  private StateChannels() {}

  /** The channels of {@code state} that differ from {@code parent}, all at {@code version}. */
  static Changes diff(StoredState parent, AgentState state, String version) {
    Map<String, String> versions = new TreeMap<>(parent.versions());
    List<Blob> blobs = new ArrayList<>();
    AgentState before = parent.state();
    Blob messages = messagesBlob(before.messages(), state.messages(), versions.get(MESSAGES), version);
    if (messages != null) blobs.add(messages);
    if (!before.todos().equals(state.todos())) blobs.add(json(TODOS, version, state.todos()));
    if (!before.extra().equals(state.extra())) blobs.add(json(EXTRA, version, state.extra()));
    addFileChanges(before.files(), state.files(), version, blobs);
    for (Blob blob : blobs) versions.put(blob.channel(), version);
    if (!before.usage().equals(state.usage())) versions.put(USAGE, version);
    if (before.modelCalls() != state.modelCalls()) versions.put(MODEL_CALLS, version);
    return new Changes(blobs, versions);
  }

  /**
   * A delta when the parent's messages are a prefix of the new ones (the usual step), a full
   * "reset" value when they are not (summarisation rewrote history), null when nothing changed.
   */
  private static Blob messagesBlob(List<Message> before, List<Message> after, String baseVersion, String version) {
    if (baseVersion == null) return after.isEmpty() ? null : json(MESSAGES, version, after);
    if (!isPrefix(before, after)) return json(MESSAGES, version, after);
    if (after.size() == before.size()) return null;
    List<Message> appended = after.subList(before.size(), after.size());
    return new Blob(MESSAGES, version, TYPE_DELTA, Json.writeBytes(new MessagesDelta(baseVersion, appended)));
  }

  private static boolean isPrefix(List<Message> prefix, List<Message> list) {
    if (prefix.size() > list.size()) return false;
    for (int i = 0; i < prefix.size(); i++) {
      Message a = prefix.get(i);
      Message b = list.get(i);
      if (a != b && !a.equals(b)) return false;
    }
    return true;
  }

  private static void addFileChanges(
      Map<String, FileData> before, Map<String, FileData> after, String version, List<Blob> blobs) {
    after.forEach((path, file) -> {
      if (!file.equals(before.get(path))) blobs.add(json(FILE_PREFIX + path, version, file));
    });
    for (String path : before.keySet()) {
      if (!after.containsKey(path)) blobs.add(new Blob(FILE_PREFIX + path, version, TYPE_EMPTY, null));
    }
  }

  private static Blob json(String channel, String version, Object value) {
    return new Blob(channel, version, TYPE_JSON, Json.writeBytes(value));
  }

  /** The values kept inline in the checkpoint's {@code channel_values}: small and changing every step. */
  static ObjectNode inlineValues(AgentState state) {
    ObjectNode values = Json.object();
    values.set(USAGE, Json.tree(state.usage()));
    values.put(MODEL_CALLS, state.modelCalls());
    return values;
  }

  /**
   * Rebuilds the state from the inline values, the blobs of the current versions of the other
   * channels and every messages blob up to the current messages version.
   */
  static AgentState assemble(
      Map<String, String> versions,
      JsonNode inlineValues,
      Map<String, Blob> currentBlobs,
      Map<String, Blob> messageBlobsByVersion) {
    String messagesVersion = versions.get(MESSAGES);
    List<Message> messages = messagesVersion == null ? List.of() : messages(messagesVersion, messageBlobsByVersion);
    Blob todos = currentBlobs.get(TODOS);
    Blob extra = currentBlobs.get(EXTRA);
    Usage usage = inlineValues.has(USAGE) ? Json.read(inlineValues.get(USAGE), Usage.class) : Usage.ZERO;
    return new AgentState(
        messages,
        todos == null ? List.of() : read(todos, TODO_LIST),
        files(currentBlobs),
        extra == null ? Map.of() : read(extra, JSON_MAP),
        usage,
        inlineValues.path(MODEL_CALLS).asInt(0));
  }

  /** Follows the deltas back from {@code version} to the last full value, then replays them. */
  private static List<Message> messages(String version, Map<String, Blob> byVersion) {
    Deque<List<Message>> appendsOldestFirst = new ArrayDeque<>();
    for (String cursor = version; ; ) {
      Blob blob = byVersion.get(cursor);
      if (blob == null) throw new IllegalStateException("messages version " + cursor + " is missing from checkpoint_blobs");
      if (!TYPE_DELTA.equals(blob.type())) {
        List<Message> messages = new ArrayList<>(read(blob, MESSAGE_LIST));
        appendsOldestFirst.forEach(messages::addAll);
        return messages;
      }
      MessagesDelta delta = read(blob, DELTA);
      appendsOldestFirst.addFirst(delta.append());
      cursor = delta.base();
    }
  }

  private static Map<String, FileData> files(Map<String, Blob> currentBlobs) {
    Map<String, FileData> files = new LinkedHashMap<>();
    currentBlobs.forEach((channel, blob) -> {
      if (channel.startsWith(FILE_PREFIX) && !TYPE_EMPTY.equals(blob.type())) {
        files.put(channel.substring(FILE_PREFIX.length()), read(blob, FILE));
      }
    });
    return files;
  }

  private static <T> T read(Blob blob, TypeReference<T> type) {
    try {
      return Json.MAPPER.readValue(blob.bytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read channel " + blob.channel() + " at " + blob.version(), e);
    }
  }
}
