package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.agent;
import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.agent.run.Interrupt;
import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.PendingWrite;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Human approval inside the loop ({@code interrupt_on}), for the orchestrator and for subagents,
 * with every decision type; run against each checkpointer. A resumed run never runs a finished call
 * again nor asks the model again for a reply it already has: the scripted model's call counts and
 * the tool events say so.
 */
abstract class InterruptContract {
  protected abstract Checkpointer checkpointer();

  /** Lead writes /a.md (approval needed), then answers. */
  private static final String WRITE_THEN_ANSWER =
      """
      [{"tool_calls": [{"name": "write_file", "id": "w1", "args": {"file_path": "/a.md", "content": "hello"}}],
        "usage": {"input_tokens": 10, "output_tokens": 2}},
       {"content": "Written.", "usage": {"input_tokens": 20, "output_tokens": 3}}]""";

  /** Every tool started, as "namespace/tool:id". */
  private final List<String> started = new CopyOnWriteArrayList<>();

  private final RunListener listener =
      new RunListener() {
        @Override
        public void onToolStart(Origin origin, ToolCall call) {
          started.add(origin.namespace() + "/" + call.name() + ":" + call.id());
        }
      };

  private static String lead(String interruptOn, String script) {
    return """
        {"nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead",
           "system_prompt": "You lead.", "interrupt_on": %s,
           "model": {"provider": "scripted", "model": "lead-model", "script": %s}}}]}"""
        .formatted(interruptOn, script);
  }

  /** Lead starts a researcher and a writer in one reply; each writes a file, then reports. */
  private static String team(String researcherInterrupts, String writerInterrupts) {
    return """
        {"nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "model": {"provider": "scripted", "model": "lead-model", "script": [
              {"tool_calls": [
                {"name": "task", "id": "r", "args": {"subagent_type": "researcher", "description": "Research"}},
                {"name": "task", "id": "w", "args": {"subagent_type": "writer", "description": "Write"}}],
               "usage": {"input_tokens": 100, "output_tokens": 10}},
              {"content": "Done.", "usage": {"input_tokens": 200, "output_tokens": 20}}]}}},
          {"id": "researcher", "type": "specialist", "config": {"name": "researcher",
            "system_prompt": "You research.", "interrupt_on": %s,
            "model": {"provider": "scripted", "script": [
              {"tool_calls": [{"name": "write_file", "args": {"file_path": "/r.md", "content": "facts"}}],
               "usage": {"input_tokens": 1, "output_tokens": 1}},
              {"content": "researched", "usage": {"input_tokens": 2, "output_tokens": 2}}]}}},
          {"id": "writer", "type": "specialist", "config": {"name": "writer",
            "system_prompt": "You write.", "interrupt_on": %s,
            "model": {"provider": "scripted", "script": [
              {"tool_calls": [{"name": "write_file", "args": {"file_path": "/w.md", "content": "prose"}}],
               "usage": {"input_tokens": 4, "output_tokens": 4}},
              {"content": "written", "usage": {"input_tokens": 8, "output_tokens": 8}}]}}}]}"""
        .formatted(researcherInterrupts, writerInterrupts);
  }

  private static String newJobId() {
    return "job-" + UUID.randomUUID();
  }

  private RunRequest request(String jobId) {
    return RunRequest.of(jobId, input("go"), control(), listener);
  }

  private RunResult.Parked parked(RunResult result) {
    assertThat(result).isInstanceOf(RunResult.Parked.class);
    return (RunResult.Parked) result;
  }

  @Test
  void aCallNeedingApprovalParksTheRunBeforeAnythingRuns() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();

    RunResult.Parked parked =
        parked(
            agent(lead("{\"write_file\": true}", WRITE_THEN_ANSWER), model, checkpointer())
                .run(request(jobId)));

    assertThat(parked.interrupts()).hasSize(1);
    Interrupt interrupt = parked.interrupts().get(0);
    assertThat(interrupt.id()).isEqualTo("|w1");
    assertThat(interrupt.toolCallId()).isEqualTo("w1");
    assertThat(interrupt.tool()).isEqualTo("write_file");
    assertThat(interrupt.args().path("content").asText()).isEqualTo("hello");
    assertThat(interrupt.allowedDecisions()).containsExactly("approve", "edit", "reject");
    assertThat(interrupt.description()).isEqualTo("Tool execution requires approval");
    assertThat(interrupt.node()).isEqualTo("lead");
    assertThat(interrupt.namespace()).isEmpty();
    assertThat(interrupt.argsSchema().path("properties").has("file_path")).isTrue();
    assertThat(started).isEmpty();
    assertThat(parked.state().files()).isEmpty();
    assertThat(parked.usage()).isEqualTo(new Usage(10, 2));
    assertThat(model.calls()).isEqualTo(1);
    Checkpoint saved = checkpointer().latest(jobId, "").orElseThrow();
    assertThat(saved.next()).isEqualTo(Next.TOOLS);
    assertThat(saved.jobId()).isEqualTo(jobId);
    assertThat(checkpointer().writes(jobId, "", saved.id()))
        .extracting(PendingWrite::taskId, PendingWrite::channel)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("w1", PendingWrite.INTERRUPT));
  }

  @Test
  void approveRunsTheCallAsAskedWithoutAskingTheModelAgain() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent =
        agent(lead("{\"write_file\": true}", WRITE_THEN_ANSWER), model, checkpointer());
    parked(agent.run(request(jobId)));

    RunResult result =
        agent.run(request(jobId).withDecisions(Map.of("|w1", new Decision.Approve())));

    assertThat(result).isInstanceOf(RunResult.Finished.class);
    assertThat(result.state().files().get("/a.md").text()).isEqualTo("hello");
    assertThat(result.state().lastMessage().content()).isEqualTo("Written.");
    assertThat(model.calls()).isEqualTo(2);
    assertThat(started).containsExactly("/write_file:w1");
    assertThat(result.usage()).isEqualTo(new Usage(30, 5)); // both attempts
  }

  @Test
  void editRunsTheCallWithTheNewArgumentsAndTheHistoryShowsThem() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent =
        agent(lead("{\"write_file\": true}", WRITE_THEN_ANSWER), model, checkpointer());
    parked(agent.run(request(jobId)));

    RunResult result =
        agent.run(
            request(jobId)
                .withDecisions(
                    Map.of(
                        "|w1",
                        new Decision.Edit(
                            (com.fasterxml.jackson.databind.node.ObjectNode)
                                Json.parse(
                                    "{\"file_path\": \"/b.md\", \"content\": \"edited\"}")))));

    assertThat(result.state().files()).containsOnlyKeys("/b.md");
    assertThat(result.state().files().get("/b.md").text()).isEqualTo("edited");
    Message asked = result.state().messages().get(1);
    assertThat(asked.toolCalls().get(0).args().path("file_path").asText()).isEqualTo("/b.md");
    assertThat(
            model
                .requests
                .get(1)
                .messages()
                .get(2)
                .toolCalls()
                .get(0)
                .args()
                .path("content")
                .asText())
        .isEqualTo("edited");
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void rejectRunsNothingTellsTheModelWhyAndADifferentToolThenRuns() {
    String script =
        """
        [{"tool_calls": [{"name": "write_file", "id": "w1", "args": {"file_path": "/a.md", "content": "x"}}]},
         {"tool_calls": [{"name": "write_todos", "id": "t1", "args": {"todos": [{"content": "ask first", "status": "pending"}]}}]},
         {"content": "I will ask first."}]""";
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent = agent(lead("{\"write_file\": true}", script), model, checkpointer());
    parked(agent.run(request(jobId)));

    RunResult result =
        agent.run(request(jobId).withDecisions(Map.of("|w1", new Decision.Reject("not now"))));

    assertThat(result).isInstanceOf(RunResult.Finished.class);
    assertThat(result.state().files()).isEmpty();
    assertThat(result.state().messages().get(2))
        .extracting(Message::role, Message::toolCallId, Message::content)
        .containsExactly(Role.TOOL, "w1", "not now");
    assertThat(result.state().todos()).hasSize(1);
    assertThat(started).containsExactly("/write_todos:t1");
    assertThat(model.calls()).isEqualTo(3);
  }

  @Test
  void aRejectionWithoutAMessageUsesDeepagentsWording() {
    String jobId = newJobId();
    DeepAgent agent =
        agent(
            lead("{\"write_file\": true}", WRITE_THEN_ANSWER),
            new RecordingModel(),
            checkpointer());
    parked(agent.run(request(jobId)));

    RunResult result =
        agent.run(request(jobId).withDecisions(Map.of("|w1", new Decision.Reject(null))));

    assertThat(result.state().messages().get(2).content())
        .isEqualTo("User rejected the tool call for `write_file` with id w1");
  }

  @Test
  void severalInterruptsOfOneReplyParkTogetherAndNoCallOfTheReplyRunsUntilAllAreDecided() {
    String script =
        """
        [{"tool_calls": [
           {"name": "write_file", "id": "w1", "args": {"file_path": "/a.md", "content": "a"}},
           {"name": "edit_file", "id": "e1", "args": {"file_path": "/a.md", "old_string": "a", "new_string": "b"}},
           {"name": "ls", "id": "l1", "args": {}}]},
         {"content": "Done."}]""";
    String rules =
        """
        {"write_file": true, "ls": false,
         "edit_file": {"allowed_decisions": ["approve", "reject"], "description": "Edits need a look"}}""";
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent = agent(lead(rules, script), model, checkpointer());

    RunResult.Parked parked = parked(agent.run(request(jobId)));

    assertThat(parked.interrupts()).extracting(Interrupt::id).containsExactly("|w1", "|e1");
    assertThat(parked.interrupts().get(1).allowedDecisions()).containsExactly("approve", "reject");
    assertThat(parked.interrupts().get(1).description()).isEqualTo("Edits need a look");
    assertThat(started).isEmpty(); // ls needs no approval, but waits with the others

    RunResult result =
        agent.run(
            request(jobId)
                .withDecisions(
                    Map.of("|w1", new Decision.Approve(), "|e1", new Decision.Reject("no"))));

    assertThat(result.state().files().get("/a.md").text()).isEqualTo("a");
    assertThat(result.state().messages())
        .filteredOn(m -> m.role() == Role.TOOL)
        .extracting(Message::toolCallId)
        .containsExactly("w1", "e1", "l1");
    assertThat(started).containsExactlyInAnyOrder("/write_file:w1", "/ls:l1");
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void aDecisionTheRuleDoesNotAllowIsRefused() {
    String rules = "{\"write_file\": {\"allowed_decisions\": [\"approve\", \"reject\"]}}";
    String jobId = newJobId();
    DeepAgent agent = agent(lead(rules, WRITE_THEN_ANSWER), new RecordingModel(), checkpointer());
    parked(agent.run(request(jobId)));

    assertThatThrownBy(
            () ->
                agent.run(
                    request(jobId)
                        .withDecisions(
                            Map.of("|w1", new Decision.Edit(Json.object().put("x", 1))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'edit' is not allowed");
    assertThat(started).isEmpty();
  }

  @Test
  void anInterruptInsideASubagentParksItsTaskWhileItsSiblingFinishesAndIsNeverRunAgain() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent = agent(team("{\"write_file\": true}", "{}"), model, checkpointer());

    RunResult.Parked parked = parked(agent.run(request(jobId)));

    assertThat(parked.interrupts()).hasSize(1);
    Interrupt interrupt = parked.interrupts().get(0);
    assertThat(interrupt.id()).isEqualTo("task:r|call_0_0");
    assertThat(interrupt.namespace()).isEqualTo("task:r");
    assertThat(interrupt.node()).isEqualTo("researcher");
    assertThat(model.requestsOf("writer")).hasSize(2); // finished while the researcher waits
    assertThat(started)
        .containsExactlyInAnyOrder("/task:r", "/task:w", "task:w/write_file:call_0_0");
    // the lead's first reply, the researcher's first, the writer's whole run
    assertThat(parked.usage()).isEqualTo(new Usage(113, 23));

    RunResult result =
        agent.run(request(jobId).withDecisions(Map.of("task:r|call_0_0", new Decision.Approve())));

    assertThat(result).isInstanceOf(RunResult.Finished.class);
    assertThat(result.state().files()).containsOnlyKeys("/r.md", "/w.md");
    assertThat(model.requestsOf("lead")).hasSize(2);
    assertThat(model.requestsOf("researcher")).hasSize(2);
    assertThat(model.requestsOf("writer")).hasSize(2);
    assertThat(started)
        .containsExactlyInAnyOrder(
            "/task:r",
            "/task:w",
            "task:w/write_file:call_0_0",
            "/task:r",
            "task:r/write_file:call_0_0");
    assertThat(result.state().messages())
        .filteredOn(m -> m.role() == Role.TOOL)
        .extracting(Message::toolCallId, Message::content)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("r", "researched"),
            org.assertj.core.groups.Tuple.tuple("w", "written"));
    // every model call of both attempts, subagents' included
    assertThat(result.usage()).isEqualTo(new Usage(315, 45));
  }

  @Test
  void parallelSubagentsParkTogetherAndResumeWithADecisionEach() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent =
        agent(team("{\"write_file\": true}", "{\"write_file\": true}"), model, checkpointer());

    RunResult.Parked parked = parked(agent.run(request(jobId)));

    assertThat(parked.interrupts())
        .extracting(Interrupt::id)
        .containsExactly("task:r|call_0_0", "task:w|call_0_0");

    RunResult result =
        agent.run(
            request(jobId)
                .withDecisions(
                    Map.of(
                        "task:r|call_0_0", new Decision.Reject("no research file"),
                        "task:w|call_0_0", new Decision.Approve())));

    assertThat(result.state().files()).containsOnlyKeys("/w.md");
    assertThat(model.requestsOf("lead")).hasSize(2);
    assertThat(model.requestsOf("researcher")).hasSize(2);
    assertThat(model.requestsOf("writer")).hasSize(2);
  }

  @Test
  void aResumeDeliveredTwiceAppliesOnce() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent =
        agent(lead("{\"write_file\": true}", WRITE_THEN_ANSWER), model, checkpointer());
    parked(agent.run(request(jobId)));
    RunResult first =
        agent.run(request(jobId).withDecisions(Map.of("|w1", new Decision.Approve())));

    RunResult second =
        agent.run(request(jobId).withDecisions(Map.of("|w1", new Decision.Reject("late"))));

    assertThat(second).isInstanceOf(RunResult.Finished.class);
    assertThat(second.state()).isEqualTo(first.state());
    assertThat(second.usage()).isEqualTo(first.usage());
    assertThat(model.calls()).isEqualTo(2);
    assertThat(started).containsExactly("/write_file:w1");
  }

  @Test
  void aDecisionIsRecordedOnceSoARetryWithoutItNeitherParksAgainNorRerunsTheCall() {
    String definition =
        """
        {"nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "interrupt_on": {"write_file": true},
            "model": {"provider": "scripted", "model": "lead-model", "script": [
              {"tool_calls": [
                {"name": "write_file", "id": "w1", "args": {"file_path": "/a.md", "content": "approved"}},
                {"name": "task", "id": "r", "args": {"subagent_type": "researcher", "description": "Research"}}]},
              {"content": "Done."}]}}},
          {"id": "researcher", "type": "specialist", "config": {"name": "researcher",
            "system_prompt": "You research.",
            "model": {"provider": "scripted", "script": [{"content": "researched", "delay_ms": 100}]}}}]}""";
    String jobId = newJobId();
    parked(agent(definition, new RecordingModel(), checkpointer()).run(request(jobId)));
    RecordingModel down = new RecordingModel().failingAtCall(1); // the researcher's model

    assertThatThrownBy(
            () ->
                agent(definition, down, checkpointer())
                    .run(request(jobId).withDecisions(Map.of("|w1", new Decision.Approve()))))
        .hasMessageContaining("model down");
    RecordingModel model = new RecordingModel();
    RunResult result = agent(definition, model, checkpointer()).run(request(jobId));

    assertThat(result).isInstanceOf(RunResult.Finished.class);
    assertThat(result.state().files().get("/a.md").text()).isEqualTo("approved");
    assertThat(started.stream().filter(s -> s.equals("/write_file:w1"))).hasSize(1);
    assertThat(model.requestsOf("researcher")).hasSize(1);
    assertThat(model.requestsOf("lead")).hasSize(1);
  }

  @Test
  void aParkedRunResumedWithoutDecisionsParksAgainOnTheSameInterrupts() {
    RecordingModel model = new RecordingModel();
    String jobId = newJobId();
    DeepAgent agent =
        agent(lead("{\"write_file\": true}", WRITE_THEN_ANSWER), model, checkpointer());
    RunResult.Parked first = parked(agent.run(request(jobId)));

    RunResult.Parked again = parked(agent.run(request(jobId)));

    assertThat(again.interrupts()).isEqualTo(first.interrupts());
    assertThat(model.calls()).isEqualTo(1);
    assertThat(started).isEmpty();
  }

  @Test
  void theGeneralPurposeSubagentFollowsTheOrchestratorsRules() {
    String definition =
        """
        {"nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead",
           "system_prompt": "You lead.", "interrupt_on": {"write_file": true, "task": false},
           "model": {"provider": "scripted", "model": "lead-model", "script": [
             {"tool_calls": [{"name": "task", "id": "g", "args": {"subagent_type": "general-purpose", "description": "Write"}}]},
             {"tool_calls": [{"name": "write_file", "id": "gw", "args": {"file_path": "/g.md", "content": "g"}}]},
             {"content": "Done."}]}}}]}""";
    // The general-purpose subagent replays the orchestrator's script from its start: its first
    // reply is a task call it does not have; its second writes /g.md, which waits for approval.
    String jobId = newJobId();

    RunResult result = agent(definition, new RecordingModel(), checkpointer()).run(request(jobId));

    assertThat(result).isInstanceOf(RunResult.Parked.class);
    assertThat(((RunResult.Parked) result).interrupts())
        .extracting(Interrupt::id)
        .containsExactly("task:g|gw");
  }

  @Test
  void aParkedRunFailsWhenRunThroughTheOldEntryPoint() {
    DeepAgent agent =
        agent(
            lead("{\"write_file\": true}", WRITE_THEN_ANSWER),
            new RecordingModel(),
            checkpointer());

    assertThatThrownBy(() -> agent.run(newJobId(), input("go"), control(), RunListener.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("parked on 1 interrupt");
  }
}
