package dev.agentexecutor.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code scripted} provider: replays the responses of the node's {@code ModelConfig.script()},
 * choosing response N when the conversation already holds N assistant messages. Being stateless it
 * is deterministic, and a run resumed from a checkpoint continues where it stopped.
 *
 * <p>Scripts are prepared once per script node (by identity) and per file, so a call costs a map
 * lookup and a few allocations; it sleeps only when a response asks for {@code delay_ms}.
 */
public final class ScriptedModel implements ModelClient {
  /** Bounds the memory held for scripts of past jobs; each job definition brings its own node. */
  private static final int MAX_CACHED_SCRIPTS = 1024;

  private final Optional<Path> scriptDirectory;
  private final Map<String, List<ScriptedReply>> scriptsByFile = new ConcurrentHashMap<>();
  private final Map<ScriptNode, List<ScriptedReply>> scriptsByNode = newLruCache();

  /** The last script used: benchmarks and most jobs use one script over and over. */
  private volatile Prepared last = new Prepared(null, List.of());

  private record ScriptNode(JsonNode node) {
    @Override
    public boolean equals(Object other) {
      return other instanceof ScriptNode that && that.node == node;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(node);
    }
  }

  private record Prepared(JsonNode node, List<ScriptedReply> replies) {}

  /** Inline scripts only: a script file is refused. */
  public ScriptedModel() {
    this(Optional.empty());
  }

  /** Script files are read from {@code scriptDirectory} only (relative paths inside it). */
  public ScriptedModel(Path scriptDirectory) {
    this(Optional.of(scriptDirectory));
  }

  public ScriptedModel(Optional<Path> scriptDirectory) {
    this.scriptDirectory = scriptDirectory;
  }

  @Override
  public ModelResponse chat(ModelRequest request, TokenListener tokens) {
    List<ScriptedReply> script = script(request);
    int index = assistantMessages(request.messages());
    if (index >= script.size()) {
      throw new ModelException(
          "scripted model has no response #%d for node %s (the script has %d)"
              .formatted(index + 1, request.node(), script.size()),
          0,
          null);
    }
    try {
      return script.get(index).play(request.messages(), tokens);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException("scripted model interrupted for node " + request.node(), 0, e);
    }
  }

  private List<ScriptedReply> script(ModelRequest request) {
    JsonNode node = request.config() == null ? null : request.config().script();
    if (node == null || node.isNull()) {
      throw new ModelException(
          "provider scripted needs a script for node " + request.node(), 0, null);
    }
    Prepared recent = last;
    if (recent.node() == node) return recent.replies();
    List<ScriptedReply> replies;
    synchronized (scriptsByNode) {
      replies = scriptsByNode.get(new ScriptNode(node));
    }
    if (replies == null) {
      replies = prepare(node, request.node());
      synchronized (scriptsByNode) {
        scriptsByNode.put(new ScriptNode(node), replies);
      }
    }
    last = new Prepared(node, replies);
    return replies;
  }

  private List<ScriptedReply> prepare(JsonNode node, String agent) {
    JsonNode file = node.get("file");
    if (file == null) return ScriptReader.read(node, "script of node " + agent);
    // Cached by the name given: the file is read (and checked) once, and a failure is not cached.
    return scriptsByFile.computeIfAbsent(
        file.asText(), name -> ScriptReader.readFile(scriptDirectory, name));
  }

  private static int assistantMessages(List<Message> messages) {
    int count = 0;
    for (Message message : messages) {
      if (message.role() == Role.ASSISTANT) count++;
    }
    return count;
  }

  private static <K, V> Map<K, V> newLruCache() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_CACHED_SCRIPTS;
      }
    };
  }
}
