package dev.agentexecutor.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Todo;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A scripted agent loop for checkpointer tests: each step appends a tool call and its result,
 * rewrites one file and adds usage, then puts a checkpoint, the way the runner does.
 */
public final class SampleRun {
  private static final Instant START = Instant.parse("2025-01-02T03:04:05.123456789Z");

  private final Checkpointer checkpointer;
  private final String threadId;
  private final String namespace;
  private AgentState state;
  private Checkpoint last;
  private int step;

  public SampleRun(Checkpointer checkpointer, String threadId, String namespace) {
    this.checkpointer = checkpointer;
    this.threadId = threadId;
    this.namespace = namespace;
    this.state = initialState();
  }

  /** A run of a new thread in the orchestrator namespace that has put its first checkpoint. */
  public static SampleRun started(Checkpointer checkpointer, String threadId) {
    SampleRun run = new SampleRun(checkpointer, threadId, "");
    run.start();
    return run;
  }

  /** Continues a run from a checkpoint read back (e.g. after a restart). */
  public static SampleRun resume(Checkpointer checkpointer, Checkpoint from) {
    SampleRun run = new SampleRun(checkpointer, from.threadId(), from.namespace());
    run.state = from.state();
    run.last = from;
    run.step = from.step();
    return run;
  }

  /** A state that uses every part of {@link AgentState}. */
  public static AgentState initialState() {
    ObjectNode extra = Json.object().put("tenant", "acme");
    extra.putArray("tags").add("a").add("b");
    return new AgentState(
        List.of(Message.system("You are terse."), Message.user("Plan a trip to Lisbon.")),
        List.of(new Todo("book flights", "pending")),
        Map.of("/notes.md", FileData.of("# Notes\n", START)),
        Map.of("context", extra, "priority", Json.tree(3)),
        new Usage(10, 0),
        0);
  }

  /** Puts the current state as the first checkpoint. */
  public Checkpoint start() {
    return put(Checkpoint.Next.MODEL);
  }

  /** One model step plus one tool step folded together: two messages, one changed file. */
  public Checkpoint step() {
    step++;
    ObjectNode args = Json.object().put("path", "/notes.md").put("line", step);
    ToolCall call = new ToolCall("call_" + step, "write_file", args);
    Instant now = START.plusSeconds(step);
    FileData notes =
        state.files().get("/notes.md").withText("# Notes\n" + "line ".repeat(4) + step, now);
    state =
        state
            .withMessage(Message.assistant("Writing line " + step + ".", List.of(call)))
            .withMessage(Message.tool(call.id(), call.name(), "ok, wrote line " + step))
            .withFile("/notes.md", notes)
            .afterModelCall(new Usage(120, 30));
    return put(Checkpoint.Next.MODEL);
  }

  /**
   * One step that appends a tool call and its result and writes a new file, as a research agent
   * does.
   */
  public Checkpoint stepWithNewFile() {
    step++;
    String path = "/file-" + (step - 1) + ".md";
    ObjectNode args = Json.object().put("file_path", path).put("content", "finding " + step);
    ToolCall call = new ToolCall("call_" + step, "write_file", args);
    state =
        state
            .withMessage(Message.assistant("Saving finding " + step + ".", List.of(call)))
            .withMessage(Message.tool(call.id(), call.name(), "Updated file " + path))
            .withFile(
                path,
                FileData.of(
                    "# Finding " + step + "\n" + "detail ".repeat(8), START.plusSeconds(step)))
            .afterModelCall(new Usage(120, 30));
    return put(Checkpoint.Next.MODEL);
  }

  /** Deletes a file (a step that only removes it). */
  public Checkpoint deleteFile(String path) {
    return change(
        s -> {
          java.util.Map<String, FileData> files = new java.util.TreeMap<>(s.files());
          files.remove(path);
          return s.withFiles(files);
        },
        Checkpoint.Next.MODEL);
  }

  /** Replaces the history with a summary plus the last two messages, as summarisation does. */
  public Checkpoint summarise() {
    step++;
    List<Message> messages = state.messages();
    List<Message> kept = new ArrayList<>();
    kept.add(Message.system("Summary of " + messages.size() + " messages."));
    kept.addAll(messages.subList(messages.size() - 2, messages.size()));
    state = state.withMessages(kept).withTodos(List.of(new Todo("book flights", "completed")));
    return put(Checkpoint.Next.MODEL);
  }

  /** Applies any change to the state and puts it. */
  public Checkpoint change(UnaryOperator<AgentState> change, Checkpoint.Next next) {
    step++;
    state = change.apply(state);
    return put(next);
  }

  public AgentState state() {
    return state;
  }

  private Checkpoint put(Checkpoint.Next next) {
    String id = "%s-%08d".formatted(namespace.isEmpty() ? "cp" : "sub", step);
    Instant createdAt = START.plusMillis(step);
    last =
        new Checkpoint(
            threadId, namespace, id, last == null ? null : last.id(), step, createdAt, next, state);
    checkpointer.put(last);
    return last;
  }
}
