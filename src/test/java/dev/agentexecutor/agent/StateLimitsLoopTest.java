package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.agent;
import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static dev.agentexecutor.agent.AgentTestKit.limits;
import static dev.agentexecutor.agent.AgentTestKit.orchestrator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.StateLimits;
import dev.agentexecutor.util.Json;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run keeps its state within the limits (issue 9.5): tool results, model answers, files. */
class StateLimitsLoopTest {
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();
  private final RecordingModel model = new RecordingModel();

  private static ObjectNode call(ArrayNode script, String tool) {
    return script
        .addObject()
        .putArray("tool_calls")
        .addObject()
        .put("name", tool)
        .putObject("args");
  }

  private AgentState run(ArrayNode script, Settings.Limits limits) {
    return run("t-" + System.nanoTime(), script, limits);
  }

  private AgentState run(String threadId, ArrayNode script, Settings.Limits limits) {
    return agent(orchestrator(script.toString()), model, checkpoints, limits)
        .run(threadId, input("go"), control(limits, Clock.systemUTC()), RunListener.NONE);
  }

  private static List<Message> toolMessages(AgentState state) {
    return state.messages().stream().filter(m -> m.role() == Role.TOOL).toList();
  }

  @Test
  void theIssuesWriteThenFiveReplaceAllEditsEndWithAToolErrorAndAFileWithinTheLimit() {
    ArrayNode script = Json.MAPPER.createArrayNode();
    call(script, "write_file")
        .put("file_path", "/notes.md")
        .put("content", "lorem ipsum dolor sit amet ".repeat(100));
    for (int i = 0; i < 5; i++) {
      call(script, "edit_file")
          .put("file_path", "/notes.md")
          .put("old_string", "ipsum")
          .put("new_string", "ipsum ipsum ipsum ipsum ipsum ipsum ipsum ipsum ipsum ipsum")
          .put("replace_all", true);
    }
    script.addObject().put("content", "done");

    AgentState end = run(script, limits());

    assertThat(end.lastMessage().content()).isEqualTo("done");
    assertThat(end.files().get("/notes.md").chars())
        .isLessThanOrEqualTo(StateLimits.DEFAULTS.maxFileChars());
    assertThat(toolMessages(end))
        .last()
        .extracting(Message::content)
        .asString()
        .startsWith("Error: cannot edit /notes.md: the file would have")
        .contains("MAX_FILE_CHARS");
  }

  @Test
  void aToolResultOverTheLimitIsCutWithANote() {
    ArrayNode script = Json.MAPPER.createArrayNode();
    call(script, "write_file").put("file_path", "/big.md").put("content", "line\n".repeat(500));
    call(script, "read_file").put("file_path", "/big.md");
    script.addObject().put("content", "done");
    Settings.Limits limits =
        limits().withState(new StateLimits(1_000_000, 100, 10_000_000, 300, 1_000_000));

    AgentState end = run(script, limits);

    String read = toolMessages(end).get(1).content();
    assertThat(read).startsWith("     1\tline\n     2\tline");
    assertThat(read.substring(0, 300)).doesNotContain("[truncated");
    assertThat(read.substring(300))
        .startsWith("\n[truncated: the result has ")
        .contains("only the first 300 are shown (MAX_TOOL_RESULT_CHARS)");
  }

  @Test
  void aModelAnswerOverTheMessageLimitFailsTheRunBeforeItIsStored() {
    ArrayNode script = Json.MAPPER.createArrayNode();
    script.addObject().put("content", "x".repeat(1500));
    Settings.Limits limits =
        limits().withState(new StateLimits(1_000_000, 100, 10_000_000, 100_000, 1000));

    assertThatThrownBy(() -> run("huge", script, limits))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.MESSAGE_TOO_LARGE);
              assertThat(e.errorType()).isEqualTo("MessageTooLarge");
            })
        .hasMessage(
            "the model's answer for lead has 1500 characters, over the limit of 1000 (MAX_MESSAGE_CHARS)");
    assertThat(checkpoints.history("huge", ""))
        .allSatisfy(
            c ->
                assertThat(c.state().messages())
                    .allSatisfy(m -> assertThat(m.content().length()).isLessThan(1000)));
  }

  @Test
  void toolCallArgumentsCountTowardsTheMessageLimit() {
    ArrayNode script = Json.MAPPER.createArrayNode();
    call(script, "write_file").put("file_path", "/a.md").put("content", "y".repeat(1200));
    Settings.Limits limits =
        limits().withState(new StateLimits(1_000_000, 100, 10_000_000, 100_000, 1000));

    assertThatThrownBy(() -> run(script, limits))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.MESSAGE_TOO_LARGE));
  }
}
