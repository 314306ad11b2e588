package dev.agentexecutor.checkpoint.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Todo;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
  static final String FILES = "files";
  static final String USAGE = "usage";
  static final String MODEL_CALLS = "model_calls";

  /** A whole value, serialised with {@link Json}. */
  static final String TYPE_JSON = "json";

  /**
   * A change to the value at version {@code base}: messages appended ({@code {"base", "append"}})
   * or files written and deleted ({@code {"base", "changed": {path: file}, "deleted": [paths]}}).
   */
  static final String TYPE_DELTA = "json-delta";

  private static final TypeReference<List<Message>> MESSAGE_LIST = new TypeReference<>() {};
  private static final TypeReference<List<Todo>> TODO_LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, JsonNode>> JSON_MAP = new TypeReference<>() {};
  private static final TypeReference<Map<String, FileData>> FILE_MAP = new TypeReference<>() {};
  private static final TypeReference<MessagesDelta> DELTA = new TypeReference<>() {};
  private static final TypeReference<FilesDelta> FILES_DELTA = new TypeReference<>() {};

  record MessagesDelta(String base, List<Message> append) {}

  record FilesDelta(String base, Map<String, FileData> changed, List<String> deleted) {}

  /**
   * What one put stores: the blobs of the changed channels and every channel's version after it.
   */
  record Changes(List<Blob> blobs, Map<String, String> versions) {}

  private StateChannels() {}

  /** The channels of {@code state} that differ from {@code parent}, all at {@code version}. */
  static Changes diff(StoredState parent, AgentState state, String version) {
    Map<String, String> versions = new TreeMap<>(parent.versions());
    List<Blob> blobs = new ArrayList<>();
    AgentState before = parent.state();
    Blob messages =
        messagesBlob(before.messages(), state.messages(), versions.get(MESSAGES), version);
    if (messages != null) blobs.add(messages);
    if (!before.todos().equals(state.todos())) blobs.add(json(TODOS, version, state.todos()));
    if (!before.extra().equals(state.extra())) blobs.add(json(EXTRA, version, state.extra()));
    Blob files = filesBlob(before.files(), state.files(), versions.get(FILES), version);
    if (files != null) blobs.add(files);
    for (Blob blob : blobs) versions.put(blob.channel(), version);
    if (!before.usage().equals(state.usage())) versions.put(USAGE, version);
    if (before.modelCalls() != state.modelCalls()) versions.put(MODEL_CALLS, version);
    return new Changes(blobs, versions);
  }

  /**
   * A delta when the parent's messages are a prefix of the new ones (the usual step), a full
   * "reset" value when they are not (summarisation rewrote history), null when nothing changed.
   */
  private static Blob messagesBlob(
      List<Message> before, List<Message> after, String baseVersion, String version) {
    if (baseVersion == null) return after.isEmpty() ? null : json(MESSAGES, version, after);
    if (!isPrefix(before, after)) return json(MESSAGES, version, after);
    if (after.size() == before.size()) return null;
    List<Message> appended = after.subList(before.size(), after.size());
    return new Blob(
        MESSAGES, version, TYPE_DELTA, Json.writeBytes(new MessagesDelta(baseVersion, appended)));
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

  /**
   * The files written or deleted since the parent, as a delta on its version (a full value for the
   * first one): one channel for all files, so a checkpoint's channel_versions does not grow with
   * the number of files, and storage stays linear in the steps.
   */
  private static Blob filesBlob(
      Map<String, FileData> before,
      Map<String, FileData> after,
      String baseVersion,
      String version) {
    if (baseVersion == null) return after.isEmpty() ? null : json(FILES, version, after);
    Map<String, FileData> changed = new TreeMap<>();
    after.forEach(
        (path, file) -> {
          if (!file.equals(before.get(path))) changed.put(path, file);
        });
    List<String> deleted =
        before.keySet().stream().filter(path -> !after.containsKey(path)).toList();
    if (changed.isEmpty() && deleted.isEmpty()) return null;
    return new Blob(
        FILES, version, TYPE_DELTA, Json.writeBytes(new FilesDelta(baseVersion, changed, deleted)));
  }

  private static Blob json(String channel, String version, Object value) {
    return new Blob(channel, version, TYPE_JSON, Json.writeBytes(value));
  }

  /**
   * The values kept inline in the checkpoint's {@code channel_values}: small and changing every
   * step.
   */
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
      Map<String, Blob> messageBlobsByVersion,
      Map<String, Blob> fileBlobsByVersion) {
    String messagesVersion = versions.get(MESSAGES);
    List<Message> messages =
        messagesVersion == null ? List.of() : messages(messagesVersion, messageBlobsByVersion);
    String filesVersion = versions.get(FILES);
    Map<String, FileData> files =
        filesVersion == null ? Map.of() : files(filesVersion, fileBlobsByVersion);
    Blob todos = currentBlobs.get(TODOS);
    Blob extra = currentBlobs.get(EXTRA);
    Usage usage =
        inlineValues.has(USAGE) ? Json.read(inlineValues.get(USAGE), Usage.class) : Usage.ZERO;
    return new AgentState(
        messages,
        todos == null ? List.of() : read(todos, TODO_LIST),
        files,
        extra == null ? Map.of() : read(extra, JSON_MAP),
        usage,
        inlineValues.path(MODEL_CALLS).asInt(0));
  }

  /** Follows the deltas back from {@code version} to the last full value, then replays them. */
  private static List<Message> messages(String version, Map<String, Blob> byVersion) {
    Deque<List<Message>> appendsOldestFirst = new ArrayDeque<>();
    for (String cursor = version; ; ) {
      Blob blob = byVersion.get(cursor);
      if (blob == null)
        throw new IllegalStateException(
            "messages version " + cursor + " is missing from checkpoint_blobs");
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

  /**
   * Follows the file deltas back from {@code version} to the last full value, then applies them.
   */
  private static Map<String, FileData> files(String version, Map<String, Blob> byVersion) {
    Deque<FilesDelta> deltasOldestFirst = new ArrayDeque<>();
    for (String cursor = version; ; ) {
      Blob blob = byVersion.get(cursor);
      if (blob == null)
        throw new IllegalStateException(
            "files version " + cursor + " is missing from checkpoint_blobs");
      if (!TYPE_DELTA.equals(blob.type())) {
        Map<String, FileData> files = new TreeMap<>(read(blob, FILE_MAP));
        for (FilesDelta delta : deltasOldestFirst) {
          files.putAll(delta.changed());
          delta.deleted().forEach(files::remove);
        }
        return files;
      }
      FilesDelta delta = read(blob, FILES_DELTA);
      deltasOldestFirst.addFirst(delta);
      cursor = delta.base();
    }
  }

  private static <T> T read(Blob blob, TypeReference<T> type) {
    try {
      return Json.MAPPER.readValue(blob.bytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read channel " + blob.channel() + " at " + blob.version(), e);
    }
  }
}
