package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.agent;
import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static dev.agentexecutor.agent.AgentTestKit.limits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.PendingWrite;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.util.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tool calls and subagents of one reply run in parallel: results in call order, a failing call
 * leaves its siblings alone, every finished call is recorded so a resumed run repeats only the
 * others, cancel and the run timeout stop every branch promptly, and the calls' changes merge in
 * call order. Run against each checkpointer.
 */
abstract class ParallelToolCallsContract {
  protected abstract Checkpointer checkpointer();

  private final List<String> ended = new CopyOnWriteArrayList<>();
  private final List<Origin> origins = new CopyOnWriteArrayList<>();

  private final RunListener listener =
      new RunListener() {
        @Override
        public void onToolStart(Origin origin, ToolCall call) {
          origins.add(origin);
        }

        @Override
        public void onToolEnd(Origin origin, ToolCall call, ToolResult result) {
          ended.add(origin.namespace() + "/" + call.name() + ":" + call.id());
        }
      };

  /** A lead replaying {@code leadScript} and one subagent per entry (name → its script). */
  static String team(String leadScript, Map<String, String> subagents) {
    String nodes =
        subagents.entrySet().stream()
            .map(
                e ->
                    """
                    {"id": "%1$s", "type": "specialist", "config": {"name": "%1$s",
                      "system_prompt": "You are %1$s.",
                      "model": {"provider": "scripted", "script": %2$s}}}"""
                        .formatted(e.getKey(), e.getValue()))
            .collect(Collectors.joining(",\n"));
    return """
        {"tool_definitions": [{"name": "lookup", "runtime": {"http": {"url": "http://127.0.0.1:9/lookup"}}}],
         "nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "tools": ["lookup"],
            "model": {"provider": "scripted", "model": "lead-model", "script": %s}}}%s]}"""
        .formatted(leadScript, nodes.isEmpty() ? "" : ",\n" + nodes);
  }

  /** Two task calls in one reply, for subagents a and b, then the lead's answer. */
  private static final String TWO_TASKS =
      """
      [{"tool_calls": [
         {"name": "task", "id": "a", "args": {"subagent_type": "a", "description": "Do a"}},
         {"name": "task", "id": "b", "args": {"subagent_type": "b", "description": "Do b"}}]},
       {"content": "Both done."}]""";

  private static String answer(String text, int delayMillis) {
    return "[{\"content\": \"%s\", \"delay_ms\": %d}]".formatted(text, delayMillis);
  }

  private static String newJobId() {
    return "job-" + UUID.randomUUID();
  }

  private RunResult run(DeepAgent agent, String jobId, RunControl control) {
    return agent.run(RunRequest.of(jobId, input("go"), control, listener));
  }

  private long millisToRun(Settings.Limits limits) {
    DeepAgent agent =
        agent(
            team(TWO_TASKS, Map.of("a", answer("a done", 500), "b", answer("b done", 500))),
            new RecordingModel(),
            checkpointer(),
            limits);
    long start = System.nanoTime();
    RunResult result = run(agent, newJobId(), control());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(result.state().lastMessage().content()).isEqualTo("Both done.");
    return millis;
  }

  @Test
  void twoSubagentsWithHalfASecondOfModelLatencyEachFinishInAboutHalfASecond() {
    millisToRun(limits()); // warm up: the first run loads classes

    long parallel = millisToRun(limits());
    long oneAtATime = millisToRun(limits().withToolCalls(1, 64));

    assertThat(parallel).isBetween(500L, 900L);
    assertThat(oneAtATime).isGreaterThanOrEqualTo(1000L);
  }

  @Test
  void resultsReachTheModelInCallOrderWhateverOrderTheyFinishIn() {
    RecordingModel model = new RecordingModel();
    DeepAgent agent =
        agent(
            team(TWO_TASKS, Map.of("a", answer("a done", 300), "b", answer("b done", 0))),
            model,
            checkpointer());

    AgentState end = run(agent, newJobId(), control()).state();

    assertThat(ended).containsSubsequence("/task:b", "/task:a"); // b finished first
    assertThat(model.requestsOf("lead").get(1).messages())
        .filteredOn(m -> m.role() == Role.TOOL)
        .extracting(Message::toolCallId, Message::content)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "a done"),
            org.assertj.core.groups.Tuple.tuple("b", "b done"));
    assertThat(end.messages().get(2).toolCallId()).isEqualTo("a");
  }

  @Test
  void aFailingCallDoesNotCancelItsSiblings() {
    String lead =
        """
        [{"tool_calls": [
           {"name": "lookup", "id": "l1", "args": {"q": "x"}},
           {"name": "task", "id": "a", "args": {"subagent_type": "a", "description": "Do a"}}]},
         {"content": "Done."}]""";
    DeepAgent agent =
        agent(team(lead, Map.of("a", answer("a done", 200))), new RecordingModel(), checkpointer());

    AgentState end = run(agent, newJobId(), control()).state();

    List<Message> results = end.messages().stream().filter(m -> m.role() == Role.TOOL).toList();
    assertThat(results.get(0).toolCallId()).isEqualTo("l1");
    assertThat(results.get(0).content()).startsWith("Error"); // loopback is refused
    assertThat(results.get(1).content()).isEqualTo("a done");
    assertThat(end.lastMessage().content()).isEqualTo("Done.");
  }

  @Test
  void aRunStoppedMidBatchResumesOnlyTheCallsThatHadNotFinished() throws Exception {
    String definition =
        team(TWO_TASKS, Map.of("a", answer("a done", 0), "b", answer("b done", 10_000)));
    String jobId = newJobId();
    RecordingModel first = new RecordingModel();
    RunControl control = control();
    CompletableFuture<RunResult> running =
        CompletableFuture.supplyAsync(
            () -> run(agent(definition, first, checkpointer()), jobId, control));
    awaitRecordedCall(jobId, "a");

    long stoppedAt = System.nanoTime();
    control.abandon("the test kills the run");
    Throwable failure = failureOf(running);
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);

    assertThat(failure).isInstanceOf(RunStoppedException.class);
    assertThat(((RunStoppedException) failure).kind())
        .isEqualTo(RunStoppedException.Kind.ABANDONED);
    assertThat(stopMillis).isLessThan(1000);
    RecordingModel second = new RecordingModel().beforeEachCall(ParallelToolCallsContract::quickB);

    RunResult result = run(agent(definition, second, checkpointer()), jobId, control());

    assertThat(result.state().lastMessage().content()).isEqualTo("Both done.");
    assertThat(first.requestsOf("a")).hasSize(1);
    assertThat(second.requestsOf("a")).isEmpty(); // recorded: never run again
    assertThat(second.requestsOf("b")).hasSize(1);
    assertThat(second.requestsOf("lead")).hasSize(1); // only the final answer
    assertThat(result.state().messages())
        .filteredOn(m -> m.role() == Role.TOOL)
        .extracting(Message::content)
        .containsExactly("a done", "b quick");
  }

  /** b's script without its delay, for the resumed run. */
  private static ModelRequest quickB(ModelRequest request) {
    if (!request.node().equals("b")) return request;
    ModelConfig quick =
        new ModelConfig("scripted", "b", null, null, Json.parse(answer("b quick", 0)));
    return new ModelRequest(request.node(), quick, request.messages(), request.tools());
  }

  private void awaitRecordedCall(String jobId, String toolCallId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      Optional<Checkpoint> step = checkpointer().latest(jobId, "");
      if (step.isPresent()
          && checkpointer().writes(jobId, "", step.get().id()).stream()
              .anyMatch(
                  w -> w.taskId().equals(toolCallId) && w.channel().equals(PendingWrite.RESULT)))
        return;
      Thread.sleep(10);
    }
    throw new AssertionError("call " + toolCallId + " was never recorded");
  }

  private static Throwable failureOf(CompletableFuture<?> running) throws Exception {
    try {
      running.get(5, TimeUnit.SECONDS);
      throw new AssertionError("the run did not fail");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void aSubagentsModelFailingLetsItsSiblingFinishAndBeRecorded() {
    String definition =
        team(TWO_TASKS, Map.of("a", answer("a done", 200), "b", answer("b done", 0)));
    String jobId = newJobId();
    RecordingModel broken =
        new RecordingModel()
            .beforeEachCall(
                r -> {
                  if (r.node().equals("b")) throw new IllegalStateException("b's model is down");
                  return r;
                });

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> run(agent(definition, broken, checkpointer()), jobId, control()))
        .hasMessageContaining("b's model is down");
    RecordingModel healthy = new RecordingModel();
    RunResult result = run(agent(definition, healthy, checkpointer()), jobId, control());

    assertThat(broken.requestsOf("a")).hasSize(1); // it finished although b failed
    assertThat(healthy.requestsOf("a")).isEmpty();
    assertThat(healthy.requestsOf("b")).hasSize(1);
    assertThat(result.state().lastMessage().content()).isEqualTo("Both done.");
  }

  @Test
  void cancelStopsEveryBranchWithinASecondEvenInTheMiddleOfAModelCall() throws Exception {
    DeepAgent agent =
        agent(
            team(TWO_TASKS, Map.of("a", answer("a", 10_000), "b", answer("b", 10_000))),
            new RecordingModel(),
            checkpointer());
    RunControl control = control();
    CompletableFuture<RunResult> running =
        CompletableFuture.supplyAsync(() -> run(agent, newJobId(), control));
    Thread.sleep(300);

    long cancelledAt = System.nanoTime();
    control.cancel("by the test");
    Throwable failure = failureOf(running);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt)).isLessThan(1000);
    assertThat(failure).isInstanceOf(RunStoppedException.class);
    assertThat(((RunStoppedException) failure).kind())
        .isEqualTo(RunStoppedException.Kind.CANCELLED);
  }

  @Test
  void theRunTimeoutStopsEveryBranch() throws Exception {
    Settings.Limits limits = AgentTestKit.limits(50, Duration.ofMillis(700), null);
    DeepAgent agent =
        agent(
            team(TWO_TASKS, Map.of("a", answer("a", 10_000), "b", answer("b", 10_000))),
            new RecordingModel(),
            checkpointer(),
            limits);
    long start = System.nanoTime();
    CompletableFuture<RunResult> running =
        CompletableFuture.supplyAsync(
            () -> run(agent, newJobId(), AgentTestKit.control(limits, Clock.systemUTC())));

    Throwable failure = failureOf(running);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1700);
    assertThat(((RunStoppedException) failure).kind()).isEqualTo(RunStoppedException.Kind.TIMEOUT);
  }

  @Test
  void callsBeyondTheLimitOfOneReplyAreAnsweredWithAnErrorAndNeverRun() {
    String lead =
        """
        [{"tool_calls": [
           {"name": "write_todos", "id": "t1", "args": {"todos": [{"content": "one", "status": "pending"}]}},
           {"name": "write_todos", "id": "t2", "args": {"todos": [{"content": "two", "status": "pending"}]}},
           {"name": "write_todos", "id": "t3", "args": {"todos": [{"content": "three", "status": "pending"}]}},
           {"name": "write_todos", "id": "t4", "args": {"todos": [{"content": "four", "status": "pending"}]}}]},
         {"content": "Done."}]""";
    DeepAgent agent =
        agent(
            team(lead, Map.of()),
            new RecordingModel(),
            checkpointer(),
            limits().withToolCalls(8, 2));

    AgentState end = run(agent, newJobId(), control()).state();

    assertThat(ended).containsExactly("/write_todos:t1", "/write_todos:t2");
    assertThat(end.todos()).extracting(t -> t.content()).containsExactly("two");
    List<Message> results = end.messages().stream().filter(m -> m.role() == Role.TOOL).toList();
    assertThat(results).extracting(Message::toolCallId).containsExactly("t1", "t2", "t3", "t4");
    assertThat(results.get(2).content())
        .startsWith("Error: not run: this reply has 4 tool calls")
        .contains("MAX_TOOL_CALLS_PER_REPLY");
  }

  @Test
  void changesMergeInCallOrderAndInlineCallsSeeTheInlineCallsBeforeThem() {
    String lead =
        """
        [{"tool_calls": [
           {"name": "write_file", "id": "w", "args": {"file_path": "/a.md", "content": "one"}},
           {"name": "task", "id": "s", "args": {"subagent_type": "sub", "description": "Rewrite /a.md"}},
           {"name": "task", "id": "s2", "args": {"subagent_type": "late", "description": "Write /c.md"}},
           {"name": "edit_file", "id": "e", "args": {"file_path": "/a.md", "old_string": "one", "new_string": "two"}},
           {"name": "write_file", "id": "c", "args": {"file_path": "/c.md", "content": "lead's"}},
           {"name": "write_todos", "id": "t1", "args": {"todos": [{"content": "x", "status": "pending"}]}},
           {"name": "write_todos", "id": "t2", "args": {"todos": [{"content": "y", "status": "pending"}]}}]},
         {"content": "Done."}]""";
    String sub =
        """
        [{"tool_calls": [{"name": "read_file", "args": {"file_path": "/a.md"}}]},
         {"tool_calls": [{"name": "write_file", "args": {"file_path": "/a.md", "content": "sub"}},
                         {"name": "write_file", "args": {"file_path": "/b.md", "content": "b"}}]},
         {"content": "rewritten"}]""";
    String late =
        """
        [{"tool_calls": [{"name": "write_file", "args": {"file_path": "/c.md", "content": "late's"}}], "delay_ms": 200},
         {"content": "late done"}]""";
    Map<String, String> subagents = new LinkedHashMap<>();
    subagents.put("sub", sub);
    subagents.put("late", late);
    RecordingModel model = new RecordingModel();
    DeepAgent agent = agent(team(lead, subagents), model, checkpointer());

    AgentState end = run(agent, newJobId(), control()).state();

    // the subagent saw the write before it, not the edit after it
    assertThat(model.requestsOf("sub").get(1).messages().get(3).content()).contains("one");
    assertThat(end.files().get("/a.md").text()).isEqualTo("two"); // the edit comes later
    assertThat(end.files().get("/b.md").text()).isEqualTo("b");
    // "late" finished last, but the lead's write comes later in the reply
    assertThat(end.files().get("/c.md").text()).isEqualTo("lead's");
    assertThat(end.todos()).extracting(t -> t.content()).containsExactly("y");
  }

  @Test
  void eventsOfParallelBranchesSayWhereTheyComeFrom() {
    List<String> subagentEvents = new CopyOnWriteArrayList<>();
    List<Origin> tokens = new CopyOnWriteArrayList<>();
    RunListener events =
        new RunListener() {
          @Override
          public void onToken(Origin origin, String token) {
            tokens.add(origin);
          }

          @Override
          public void onToolStart(Origin origin, ToolCall call) {
            origins.add(origin);
          }

          @Override
          public void onSubagentStart(Origin subagent, String type, String description) {
            subagentEvents.add(
                "start " + type + " " + subagent.namespace() + " " + subagent.parentRunId());
          }

          @Override
          public void onSubagentEnd(Origin subagent, String status) {
            subagentEvents.add("end " + subagent.namespace() + " " + status);
          }
        };
    String sub =
        "[{\"tool_calls\": [{\"name\": \"ls\", \"args\": {}}]}, {\"content\": \"listed\"}]";
    DeepAgent agent =
        agent(team(TWO_TASKS, Map.of("a", sub, "b", sub)), new RecordingModel(), checkpointer());
    String jobId = newJobId();

    agent.run(RunRequest.of(jobId, input("go"), control(), events));

    assertThat(subagentEvents)
        .contains(
            "start a task:a a", "start b task:b b", "end task:a completed", "end task:b completed");
    assertThat(origins)
        .contains(
            new Origin(jobId, "lead", "", null),
            new Origin(jobId, "a", "task:a", "a"),
            new Origin(jobId, "b", "task:b", "b"));
    assertThat(tokens)
        .contains(new Origin(jobId, "a", "task:a", "a"), new Origin(jobId, "lead", "", null));
  }

  @Test
  void theListenerIsNeverCalledConcurrently() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    RunListener slow =
        new RunListener() {
          @Override
          public void onToken(Origin origin, String token) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
          }
        };
    String chatty = answer("many words for the listener to hear one by one", 0);
    DeepAgent agent =
        agent(
            team(TWO_TASKS, Map.of("a", chatty, "b", chatty)),
            new RecordingModel(),
            checkpointer());

    agent.run(RunRequest.of(newJobId(), input("go"), control(), slow));

    assertThat(most.get()).isEqualTo(1);
  }

  @Test
  void aTaskCallsSubagentUsageIsRolledIntoItsCallersState() {
    String a =
        "[{\"content\": \"a done\", \"usage\": {\"input_tokens\": 7, \"output_tokens\": 3}}]";
    String lead =
        """
        [{"tool_calls": [
           {"name": "task", "id": "a", "args": {"subagent_type": "a", "description": "Do a"}},
           {"name": "task", "id": "b", "args": {"subagent_type": "b", "description": "Do b"}}],
          "usage": {"input_tokens": 100, "output_tokens": 10}},
         {"content": "Both done.", "usage": {"input_tokens": 200, "output_tokens": 20}}]""";
    DeepAgent agent =
        agent(team(lead, Map.of("a", a, "b", a)), new RecordingModel(), checkpointer());

    RunResult result = run(agent, newJobId(), control());

    assertThat(result.state().usage()).isEqualTo(new Usage(314, 36));
    assertThat(result.usage()).isEqualTo(new Usage(314, 36));
  }
}
