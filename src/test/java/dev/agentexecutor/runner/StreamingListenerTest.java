package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Todo;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.MemoryEventStream;
import dev.agentexecutor.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * State events carry what changed, and the whole state only first and last (issue 9.5): a run's
 * state events grow with its state, not with its state times its steps.
 */
class StreamingListenerTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private final MemoryEventStream stream = new MemoryEventStream(10_000);

  private List<JsonNode> stateEvents(String thread) throws InterruptedException {
    List<JsonNode> events = new ArrayList<>();
    CountDownLatch ended = new CountDownLatch(1);
    stream.follow(
        thread,
        null,
        e -> {
          if (e.event().eventType().equals(AgentEvent.STATE_UPDATE)) events.add(e.event().data());
          if (e.event().isEnd()) ended.countDown();
        });
    assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    return events;
  }

  private static ToolCall call(String id) {
    return new ToolCall(id, "write_file", Json.object());
  }

  /**
   * A run of {@code steps} tool steps, each writing one more file of {@code chars} characters, then
   * an answer.
   */
  private static List<AgentState> run(int steps, int chars) {
    List<AgentState> states = new ArrayList<>();
    AgentState state = AgentState.initial(List.of(Message.user("go")), Map.of(), Map.of());
    for (int i = 0; i < steps; i++) {
      state = state.withMessage(Message.assistant("step " + i, List.of(call("c" + i))));
      states.add(state);
      state =
          state
              .withMessage(Message.tool("c" + i, "write_file", "ok"))
              .withFile("/f" + i + ".md", FileData.of(("file " + i + " ").repeat(chars / 8), T));
      states.add(state);
    }
    states.add(state.withMessage(Message.assistant("done", List.of())));
    return states;
  }

  @Test
  void theFirstAndLastStateEventsAreSnapshotsAndTheOthersCarryWhatChanged() throws Exception {
    StreamingListener listener = new StreamingListener(stream, "t1");
    List<AgentState> states = run(3, 80);
    states.forEach(listener::onStateUpdate);
    listener.end();

    List<JsonNode> events = stateEvents("t1");
    assertThat(events).hasSize(states.size());
    assertThat(events)
        .extracting(e -> e.path("snapshot").asBoolean())
        .containsExactly(true, false, false, false, false, false, true);

    JsonNode first = events.get(0);
    assertThat(first.path("messages")).hasSize(2);
    JsonNode afterTool = events.get(1); // the tool message and the first file
    assertThat(afterTool.path("message_offset").asInt()).isEqualTo(2);
    assertThat(afterTool.path("messages")).hasSize(1);
    assertThat(afterTool.path("messages").get(0).path("role").asText()).isEqualTo("tool");
    assertThat(afterTool.path("files").fieldNames()).toIterable().containsExactly("/f0.md");
    assertThat(afterTool.has("todos")).as("unchanged todos are left out").isFalse();

    JsonNode last = events.get(events.size() - 1);
    AgentState end = states.get(states.size() - 1);
    assertThat(last.path("messages")).hasSize(end.messages().size());
    assertThat(last.path("files").fieldNames())
        .toIterable()
        .containsExactly("/f0.md", "/f1.md", "/f2.md");
    assertThat(last.path("todos").isArray()).isTrue();
  }

  @Test
  void replayingTheDeltasRebuildsTheStateOfEveryStep() throws Exception {
    StreamingListener listener = new StreamingListener(stream, "t2");
    List<AgentState> states = new ArrayList<>(run(4, 40));
    for (int i = 3; i < states.size(); i++)
      states.set(i, states.get(i).withTodos(List.of(new Todo("plan", "in_progress"))));
    states.forEach(listener::onStateUpdate);
    listener.end();

    List<JsonNode> messages = new ArrayList<>();
    Map<String, JsonNode> files = new java.util.TreeMap<>();
    JsonNode todos = null;
    List<JsonNode> events = stateEvents("t2");
    for (int i = 0; i < events.size(); i++) {
      JsonNode event = events.get(i);
      int offset = event.path("message_offset").asInt();
      while (messages.size() > offset) messages.remove(messages.size() - 1);
      event.path("messages").forEach(messages::add);
      if (event.path("snapshot").asBoolean()) files.clear();
      event.path("files").fields().forEachRemaining(f -> files.put(f.getKey(), f.getValue()));
      if (event.has("todos")) todos = event.get("todos");
      assertThat(messages).isEqualTo(Json.tree(states.get(i).messages()).valueStream().toList());
      assertThat(Json.tree(files)).isEqualTo(Json.tree(states.get(i).files()));
    }
    assertThat(todos).isEqualTo(Json.tree(List.of(new Todo("plan", "in_progress"))));
  }

  @Test
  void aRunThatStopsEarlyStillEndsWithASnapshotBeforeItsError() throws Exception {
    StreamingListener listener = new StreamingListener(stream, "t3");
    List<AgentState> states = run(2, 40);
    states.subList(0, 3).forEach(listener::onStateUpdate); // no final answer: the run fails here
    listener.error("the model failed", "job t3 failed");
    listener.end();

    List<AgentState> shown = states.subList(0, 3);
    List<JsonNode> events = stateEvents("t3");
    JsonNode closing = events.get(events.size() - 1);
    assertThat(closing.path("snapshot").asBoolean()).isTrue();
    assertThat(closing.path("messages")).hasSize(shown.get(2).messages().size());
    assertThat(closing.path("files").size()).isEqualTo(shown.get(2).files().size());
  }

  @Test
  void stateEventsGrowWithTheStateNotWithTheStepsTimesTheState() throws Exception {
    StreamingListener listener = new StreamingListener(stream, "t4");
    List<AgentState> states = run(40, 20_000);
    states.forEach(listener::onStateUpdate);
    listener.end();

    long streamed = stateEvents("t4").stream().mapToLong(e -> Json.write(e).length()).sum();
    long finalState = Json.write(listener.snapshot(states.get(states.size() - 1))).length();
    assertThat(streamed).as("characters of all state events").isLessThan(3 * finalState);
  }
}
