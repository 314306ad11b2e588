package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.agent;
import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static dev.agentexecutor.agent.AgentTestKit.orchestrator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several runs (jobs) on one thread: a job whose run is not on the thread yet starts a new turn on
 * the thread's latest state; a job whose run is there resumes it; every checkpoint names its job.
 */
class ThreadTurnTest {
  /** Turn one plans and writes a file, then answers; turn two answers at once. */
  private static final String TWO_TURNS =
      orchestrator(
          """
          [{"tool_calls": [
             {"name": "write_todos", "id": "t1", "args": {"todos": [{"content": "reply", "status": "in_progress"}]}},
             {"name": "write_file", "id": "w1", "args": {"file_path": "/notes.md", "content": "turn one"}}],
            "usage": {"input_tokens": 10, "output_tokens": 1}},
           {"content": "First answer.", "usage": {"input_tokens": 20, "output_tokens": 2}},
           {"content": "Second answer.", "usage": {"input_tokens": 40, "output_tokens": 4}}]""");

  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();

  private static RunRequest turn(String threadId, String jobId, AgentState input, Usage start) {
    return new RunRequest(threadId, jobId, input, Map.of(), control(), RunListener.NONE, start);
  }

  @Test
  void aSecondJobOnTheThreadContinuesItsConversationFilesAndTodos() {
    RecordingModel model = new RecordingModel();
    DeepAgent agent = agent(TWO_TURNS, model, checkpoints);
    RunResult first = agent.run(turn("thread-1", "job-1", input("Hello"), Usage.ZERO));

    RunResult second =
        agent.run(turn("thread-1", "job-2", input("And then?"), first.state().usage()));

    assertThat(second.state().lastMessage().content()).isEqualTo("Second answer.");
    assertThat(second.state().messages())
        .filteredOn(m -> m.role() == Role.USER)
        .extracting(Message::content)
        .containsExactly("Hello", "And then?");
    assertThat(second.state().files().get("/notes.md").text()).isEqualTo("turn one");
    assertThat(second.state().todos()).hasSize(1);
    assertThat(model.last().messages()).hasSize(7); // system, both turns
    assertThat(first.usage()).isEqualTo(new Usage(30, 3));
    assertThat(second.usage()).isEqualTo(new Usage(40, 4)); // its own run's only
    List<Checkpoint> history = checkpoints.history("thread-1", "");
    assertThat(history)
        .extracting(Checkpoint::jobId)
        .containsExactly("job-1", "job-1", "job-1", "job-2");
    assertThat(history.get(3).parentId()).isEqualTo(history.get(2).id());
  }

  @Test
  void aJobRunAgainResumesItsOwnTurnInsteadOfAddingItsInputTwice() {
    DeepAgent agent = agent(TWO_TURNS, new RecordingModel(), checkpoints);
    agent.run(turn("thread-2", "job-1", input("Hello"), Usage.ZERO));
    RunResult second = agent.run(turn("thread-2", "job-2", input("And then?"), Usage.ZERO));
    RecordingModel again = new RecordingModel();

    RunResult redelivered =
        agent(TWO_TURNS, again, checkpoints)
            .run(turn("thread-2", "job-2", input("And then?"), Usage.ZERO));

    assertThat(redelivered.state()).isEqualTo(second.state());
    assertThat(again.calls()).isZero();
  }

  @Test
  void aTurnStartedAfterAnUnfinishedRunAnswersItsOpenCallsAndTakesTheNewFiles() {
    String parks =
        """
        {"nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead",
           "system_prompt": "You lead.", "interrupt_on": {"write_file": true},
           "model": {"provider": "scripted", "model": "lead-model", "script": [
             {"tool_calls": [{"name": "write_file", "id": "w1", "args": {"file_path": "/a.md", "content": "x"}}]},
             {"content": "Starting over."}]}}}]}""";
    RecordingModel model = new RecordingModel();
    DeepAgent agent = agent(parks, model, checkpoints);
    assertThat(agent.run(turn("thread-3", "job-1", input("Write it"), Usage.ZERO)))
        .isInstanceOf(RunResult.Parked.class);
    AgentState next =
        AgentState.initial(
            List.of(Message.user("Never mind")),
            Map.of("/seed.md", FileData.of("seed", Instant.parse("2025-01-01T00:00:00Z"))),
            Map.of());

    RunResult result = agent.run(turn("thread-3", "job-2", next, Usage.ZERO));

    assertThat(result.state().lastMessage().content()).isEqualTo("Starting over.");
    assertThat(result.state().files()).containsOnlyKeys("/seed.md");
    List<Message> asked = model.last().messages();
    assertThat(asked.get(3).role()).isEqualTo(Role.TOOL);
    assertThat(asked.get(3).content()).contains("was cancelled");
    assertThat(asked.get(4).content()).isEqualTo("Never mind");
  }

  @Test
  void resumingAJobThatHasNoRunOnTheThreadIsRefused() {
    DeepAgent agent = agent(TWO_TURNS, new RecordingModel(), checkpoints);
    agent.run(turn("thread-4", "job-1", input("Hello"), Usage.ZERO));

    assertThatThrownBy(() -> agent.run(turn("thread-4", "job-9", null, Usage.ZERO)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no run of job job-9");
  }
}
