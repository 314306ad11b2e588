package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.agent;
import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static dev.agentexecutor.agent.AgentTestKit.limits;
import static dev.agentexecutor.agent.AgentTestKit.orchestrator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.AgentTestKit.ManualClock;
import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.definition.HttpToolRuntime;
import dev.agentexecutor.agent.definition.NodeDefinition;
import dev.agentexecutor.agent.definition.ToolDefinition;
import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeepAgentLoopTest {
  private static final String WRITE_THEN_ANSWER =
      orchestrator(
          """
      [{"content": "Writing.", "tool_calls": [{"name": "write_file", "id": "w1",
          "args": {"file_path": "/notes.md", "content": "hello"}}],
        "usage": {"input_tokens": 10, "output_tokens": 5}},
       {"content": "Wrote /notes.md.", "usage": {"input_tokens": 20, "output_tokens": 7}}]""");

  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();
  private final RecordingModel model = new RecordingModel();

  @Test
  void aModelToolModelRunProducesTheConversationAndFiles() {
    AgentState end =
        agent(WRITE_THEN_ANSWER, model, checkpoints)
            .run("t1", input("Write a note"), control(), RunListener.NONE);

    assertThat(end.messages())
        .extracting(Message::role, Message::content)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Role.USER, "Write a note"),
            org.assertj.core.groups.Tuple.tuple(Role.ASSISTANT, "Writing."),
            org.assertj.core.groups.Tuple.tuple(Role.TOOL, "Updated file /notes.md"),
            org.assertj.core.groups.Tuple.tuple(Role.ASSISTANT, "Wrote /notes.md."));
    assertThat(end.messages().get(2).toolCallId()).isEqualTo("w1");
    assertThat(end.messages().get(2).name()).isEqualTo("write_file");
    assertThat(end.files().get("/notes.md").text()).isEqualTo("hello");
    assertThat(end.usage()).isEqualTo(new Usage(30, 12));
    assertThat(end.modelCalls()).isEqualTo(2);
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void savesACheckpointAfterEveryStepWithNextStepAndIncreasingIds() {
    agent(WRITE_THEN_ANSWER, model, checkpoints)
        .run("t1", input("Write a note"), control(), RunListener.NONE);

    List<Checkpoint> history = checkpoints.history("t1", "");
    assertThat(history)
        .extracting(Checkpoint::next)
        .containsExactly(Next.TOOLS, Next.MODEL, Next.DONE);
    assertThat(history).extracting(Checkpoint::step).containsExactly(1, 2, 3);
    assertThat(history).extracting(Checkpoint::id).isSorted().doesNotHaveDuplicates();
    assertThat(history.get(0).parentId()).isNull();
    assertThat(history.get(1).parentId()).isEqualTo(history.get(0).id());
    assertThat(history.get(2).parentId()).isEqualTo(history.get(1).id());
    assertThat(history).extracting(c -> c.state().messages().size()).containsExactly(2, 3, 4);
  }

  @Test
  void resumesAfterAFailedModelCallWithoutRepeatingDoneSteps() {
    RecordingModel failing = new RecordingModel().failingAtCall(2);
    assertThatThrownBy(
            () ->
                agent(WRITE_THEN_ANSWER, failing, checkpoints)
                    .run("t1", input("Write a note"), control(), RunListener.NONE))
        .hasMessageContaining("model down");
    assertThat(checkpoints.latest("t1", "").orElseThrow().next()).isEqualTo(Next.MODEL);

    AgentState end =
        agent(WRITE_THEN_ANSWER, model, checkpoints)
            .run("t1", input("Write a note"), control(), RunListener.NONE);

    assertThat(model.calls()).isEqualTo(1);
    assertThat(end.messages()).hasSize(4);
    assertThat(end.messages().get(3).content()).isEqualTo("Wrote /notes.md.");
    assertThat(checkpoints.history("t1", "")).extracting(Checkpoint::step).containsExactly(1, 2, 3);
  }

  @Test
  void resumesFromACheckpointWaitingForToolsByRunningThemFirst() {
    ToolCall call =
        new ToolCall(
            "w1",
            "write_file",
            (ObjectNode) Json.parse("{\"file_path\": \"/a.md\", \"content\": \"x\"}"));
    AgentState saved =
        AgentState.initial(
            List.of(Message.user("go"), Message.assistant("Writing.", List.of(call))),
            Map.of(),
            Map.of());
    checkpoints.put(
        new Checkpoint(
            "t2",
            "",
            "0190a000-0000-7000-8000-000000000001",
            null,
            1,
            Instant.now(),
            Next.TOOLS,
            saved));

    AgentState end =
        agent(WRITE_THEN_ANSWER, model, checkpoints)
            .run("t2", input("ignored on resume"), control(), RunListener.NONE);

    assertThat(model.calls()).isEqualTo(1);
    assertThat(model.last().messages())
        .extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
    assertThat(end.files()).containsKey("/a.md");
    assertThat(end.messages()).extracting(Message::content).doesNotContain("ignored on resume");
    assertThat(checkpoints.history("t2", "")).extracting(Checkpoint::step).containsExactly(1, 2, 3);
  }

  @Test
  void aFinishedThreadReturnsItsStateWithoutCallingTheModel() {
    AgentState done =
        AgentState.initial(
            List.of(Message.user("go"), Message.assistant("All done.", List.of())),
            Map.of(),
            Map.of());
    checkpoints.put(
        new Checkpoint(
            "t3",
            "",
            "0190a000-0000-7000-8000-000000000002",
            null,
            1,
            Instant.now(),
            Next.DONE,
            done));

    AgentState end =
        agent(WRITE_THEN_ANSWER, model, checkpoints)
            .run("t3", input("go"), control(), RunListener.NONE);

    assertThat(model.calls()).isZero();
    assertThat(end).isEqualTo(done);
    assertThat(checkpoints.history("t3", "")).hasSize(1);
  }

  @Test
  void danglingToolCallsInTheInputAreAnsweredAsCancelledBeforeTheFirstModelCall() {
    ToolCall pending =
        new ToolCall("old1", "read_file", (ObjectNode) Json.parse("{\"file_path\": \"/x\"}"));
    AgentState in =
        AgentState.initial(
            List.of(
                Message.user("first"),
                Message.assistant("", List.of(pending)),
                Message.user("never mind, write a note")),
            Map.of(),
            Map.of());

    agent(WRITE_THEN_ANSWER, model, checkpoints).run("t4", in, control(), RunListener.NONE);

    List<Message> sent = model.requests.get(0).messages();
    assertThat(sent)
        .extracting(Message::role)
        .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.USER);
    assertThat(sent.get(3).toolCallId()).isEqualTo("old1");
    assertThat(sent.get(3).content()).contains("read_file").contains("old1").contains("cancelled");
  }

  @Test
  void aDanglingCallSavedBeforeAnInterruptionIsPatchedOnResume() {
    ToolCall pending = new ToolCall("old2", "ls", Json.object());
    AgentState saved =
        AgentState.initial(
            List.of(
                Message.user("go"),
                Message.assistant("", List.of(pending)),
                Message.user("continue")),
            Map.of(),
            Map.of());
    checkpoints.put(
        new Checkpoint(
            "t5",
            "",
            "0190a000-0000-7000-8000-000000000003",
            null,
            3,
            Instant.now(),
            Next.MODEL,
            saved));

    agent(WRITE_THEN_ANSWER, model, checkpoints)
        .run("t5", input("go"), control(), RunListener.NONE);

    assertThat(model.requests.get(0).messages()).extracting(Message::toolCallId).contains("old2");
  }

  @Test
  void anUnknownToolIsAnErrorMessageListingTheAvailableToolsAndTheRunGoesOn() {
    String definition =
        orchestrator(
            """
        [{"tool_calls": [{"name": "teleport", "id": "x1", "args": {}}]}, {"content": "Sorry."}]""");

    AgentState end =
        agent(definition, model, checkpoints).run("t6", input("go"), control(), RunListener.NONE);

    Message error = end.messages().get(2);
    assertThat(error.role()).isEqualTo(Role.TOOL);
    assertThat(error.content())
        .isEqualTo(
            "Error: tool 'teleport' does not exist. Available tools: "
                + "write_todos, ls, read_file, write_file, edit_file, glob, grep, task");
    assertThat(end.lastMessage().content()).isEqualTo("Sorry.");
  }

  @Test
  void aToolErrorReachesTheModelAndTheRunGoesOn() {
    String definition =
        orchestrator(
            """
        [{"tool_calls": [{"name": "read_file", "id": "r1", "args": {"file_path": "/missing.md"}}]}, {"content": "No file."}]""");

    AgentState end =
        agent(definition, model, checkpoints).run("t7", input("go"), control(), RunListener.NONE);

    assertThat(end.messages().get(2).content()).isEqualTo("Error: file '/missing.md' not found");
    assertThat(model.requests.get(1).messages())
        .extracting(Message::content)
        .contains("Error: file '/missing.md' not found");
  }

  @Test
  void aToolThrowingAnUnexpectedExceptionBecomesAnErrorMessageAndTheRunGoesOn() {
    // Built without the parser, which would refuse the header name: the tool then fails inside the
    // HTTP client.
    NodeDefinition lead =
        DefinitionParser.parse(
                Json.parse(
                    orchestrator(
                        """
        [{"tool_calls": [{"name": "broken", "id": "b1", "args": {}}]}, {"content": "It broke."}]""")))
            .orchestrator();
    NodeDefinition withTool =
        new NodeDefinition(
            lead.id(),
            lead.type(),
            lead.name(),
            null,
            lead.systemPrompt(),
            lead.model(),
            List.of("broken"));
    ToolDefinition broken =
        new ToolDefinition(
            "broken",
            "",
            Json.object(),
            new HttpToolRuntime(
                URI.create("http://127.0.0.1:9/x"), "POST", Map.of("Bad Header", "nope")));
    DeepAgent agent =
        DeepAgent.build(
            new AgentDefinition(null, null, withTool, Map.of(), Map.of("broken", broken)),
            AgentTestKit.runtime(model, checkpoints, limits()));
    List<ToolResult> results = new ArrayList<>();

    AgentState end =
        agent.run(
            "t8",
            input("go"),
            control(),
            new RunListener() {
              @Override
              public void onToolEnd(Origin origin, ToolCall call, ToolResult result) {
                results.add(result);
              }
            });

    assertThat(end.messages().get(2).content())
        .startsWith("Error: broken failed: java.lang.IllegalArgumentException");
    assertThat(results).singleElement().extracting(ToolResult::error).isEqualTo(true);
    assertThat(end.lastMessage().content()).isEqualTo("It broke.");
  }

  @Test
  void stopsWithMaxStepsWhenTheModelCallLimitIsReached() {
    String loop =
        orchestrator(
            """
        [{"tool_calls": [{"name": "ls", "args": {}}]}, {"tool_calls": [{"name": "ls", "args": {}}]},
         {"tool_calls": [{"name": "ls", "args": {}}]}, {"content": "done"}]""");

    assertThatThrownBy(
            () ->
                agent(loop, model, checkpoints, limits(2, Duration.ofMinutes(1), null))
                    .run(
                        "t9",
                        input("go"),
                        control(
                            limits(2, Duration.ofMinutes(1), null), java.time.Clock.systemUTC()),
                        RunListener.NONE))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.MAX_STEPS);
              assertThat(e.errorType()).isEqualTo("MaxStepsExceeded");
            })
        .hasMessageContaining("MAX_STEPS");
    assertThat(model.calls()).isEqualTo(2);
  }

  @Test
  void stopsWithTimeoutAtTheFirstBoundaryAfterTheDeadline() {
    ManualClock clock = new ManualClock();
    Settings.Limits limits = limits(50, Duration.ofMinutes(5), null);
    RecordingModel slow =
        new RecordingModel()
            .beforeEachCall(
                request -> {
                  clock.advance(Duration.ofMinutes(6));
                  return request;
                });

    assertThatThrownBy(
            () ->
                agent(WRITE_THEN_ANSWER, slow, checkpoints, limits)
                    .run("t10", input("go"), control(limits, clock), RunListener.NONE))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.TIMEOUT))
        .hasMessageContaining("300 s");
    assertThat(slow.calls()).isEqualTo(1);
    assertThat(checkpoints.latest("t10", "").orElseThrow().next()).isEqualTo(Next.TOOLS);
  }

  @Test
  void stopsWhenTheTokenBudgetIsUsedUp() {
    Settings.Limits limits = limits(50, Duration.ofMinutes(5), 15L);

    assertThatThrownBy(
            () ->
                agent(WRITE_THEN_ANSWER, model, checkpoints, limits)
                    .run(
                        "t11",
                        input("go"),
                        control(limits, java.time.Clock.systemUTC()),
                        RunListener.NONE))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.TOKEN_BUDGET))
        .hasMessageContaining("15 tokens, reaching its budget of 15");
    assertThat(model.calls()).isEqualTo(1);
  }

  @Test
  void aCancelledRunStopsAtTheNextStepBoundary() {
    RunControl control = control();
    List<Integer> updates = new ArrayList<>();

    assertThatThrownBy(
            () ->
                agent(WRITE_THEN_ANSWER, model, checkpoints)
                    .run(
                        "t12",
                        input("go"),
                        control,
                        new RunListener() {
                          @Override
                          public void onStateUpdate(AgentState state) {
                            updates.add(state.messages().size());
                            control.cancel("the job was cancelled by request");
                          }
                        }))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.CANCELLED);
              assertThat(e.errorType()).isEqualTo("Cancelled");
            })
        .hasMessage("the job was cancelled by request");
    assertThat(updates).containsExactly(2);
    assertThat(model.calls()).isEqualTo(1);
    assertThat(control.cancelled()).isTrue();
  }

  @Test
  void theSystemMessageIsTheDefinitionsPromptFollowedByTheBasePrompt() {
    agent(WRITE_THEN_ANSWER, model, checkpoints)
        .run("t13", input("go"), control(), RunListener.NONE);

    Message system = model.requests.get(0).messages().get(0);
    assertThat(system.role()).isEqualTo(Role.SYSTEM);
    assertThat(system.content()).startsWith("You lead.\n\n## Planning with write_todos");
    assertThat(system.content().indexOf("## The file system"))
        .isGreaterThan(system.content().indexOf("## Planning"));
    assertThat(system.content().indexOf("## Delegating with task"))
        .isGreaterThan(system.content().indexOf("## The file system"));
  }

  @Test
  void theOrchestratorUsesItsOwnModelConfigAndGetsTheBuiltInTools() {
    agent(WRITE_THEN_ANSWER, model, checkpoints)
        .run("t14", input("go"), control(), RunListener.NONE);

    ModelRequest request = model.requests.get(0);
    assertThat(request.node()).isEqualTo("lead");
    assertThat(request.config().provider()).isEqualTo("scripted");
    assertThat(request.config().model())
        .isEqualTo("lead-model")
        .isNotEqualTo(AgentTestKit.MODELS.defaultModel());
    assertThat(request.tools())
        .extracting(ToolSpec::name)
        .containsExactly(
            "write_todos", "ls", "read_file", "write_file", "edit_file", "glob", "grep", "task");
  }

  @Test
  void aNodeWithoutModelSettingsUsesTheDefaults() {
    DeepAgent agent = agent("{}", model, checkpoints);

    assertThatThrownBy(() -> agent.run("t15", input("go"), control(), RunListener.NONE))
        .isNotNull();
    assertThat(model.requests.get(0).config())
        .isEqualTo(new ModelConfig("openai", "default-model", null, null, null));
    assertThat(agent.orchestratorName()).isEqualTo("agent");
  }

  @Test
  void aToolListedTwiceIsOfferedOnce() {
    String definition =
        """
        {"tool_definitions": [{"name": "search", "runtime": {"http": {"url": "http://127.0.0.1:9/s"}}}],
         "nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "p",
           "tools": ["search", "search", "ls"],
           "model": {"provider": "scripted", "script": [{"content": "hi"}]}}}]}""";

    agent(definition, model, checkpoints).run("t16", input("go"), control(), RunListener.NONE);

    assertThat(model.requests.get(0).tools())
        .extracting(ToolSpec::name)
        .doesNotHaveDuplicates()
        .contains("search");
  }

  @Test
  void anHttpToolAimedAtALoopbackServiceIsRefusedAndTheServiceNeverAnswers() throws Exception {
    var secrets =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    secrets.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = "root-password".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    secrets.start();
    try {
      String definition =
          """
          {"tool_definitions": [{"name": "fetch", "runtime": {"http": {"url": "http://localhost:%d/admin", "method": "GET"}}}],
           "nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "p", "tools": ["fetch"],
             "model": {"provider": "scripted", "script": [
               {"tool_calls": [{"name": "fetch", "id": "f1", "args": {}}]}, {"content": "done"}]}}}]}"""
              .formatted(secrets.getAddress().getPort());

      AgentState end =
          agent(definition, model, checkpoints)
              .run("t-ssrf", input("go"), control(), RunListener.NONE);

      Message toolMessage = end.messages().get(2);
      assertThat(toolMessage.role()).isEqualTo(Role.TOOL);
      assertThat(toolMessage.content())
          .contains("127.0.0.1, a loopback address")
          .doesNotContain("root-password");
      assertThat(requests).hasValue(0);
    } finally {
      secrets.stop(0);
    }
  }

  @Test
  void tellsTheListenerAboutTokensToolsAndOrchestratorStates() {
    List<String> seen = new ArrayList<>();

    agent(WRITE_THEN_ANSWER, model, checkpoints)
        .run(
            "t17",
            input("go"),
            control(),
            new RunListener() {
              @Override
              public void onStateUpdate(AgentState state) {
                seen.add("state:" + state.messages().size());
              }

              @Override
              public void onToken(Origin origin, String token) {
                seen.add("token:" + origin.node() + ":" + token);
              }

              @Override
              public void onToolStart(Origin origin, ToolCall call) {
                seen.add("start:" + call.name());
              }

              @Override
              public void onToolEnd(Origin origin, ToolCall call, ToolResult result) {
                seen.add("end:" + call.name() + ":" + result.error());
              }
            });

    assertThat(seen)
        .containsExactly(
            "token:lead:Writing.",
            "state:2",
            "start:write_file",
            "end:write_file:false",
            "state:3",
            "token:lead:Wrote",
            "token:lead: /notes.md.",
            "state:4");
  }

  @Test
  void countsTheRunsTokensInItsControl() {
    RunControl control = control();

    agent(WRITE_THEN_ANSWER, model, checkpoints).run("t18", input("go"), control, RunListener.NONE);

    assertThat(control.usage()).isEqualTo(new Usage(30, 12));
  }

  @Test
  void seededFilesAreVisibleToTheTools() {
    String definition =
        orchestrator(
            """
        [{"tool_calls": [{"name": "read_file", "args": {"file_path": "/brief.md"}}]}, {"content": "Read it."}]""");
    AgentState in =
        AgentState.initial(
            List.of(Message.user("read the brief")),
            Map.of("/brief.md", FileData.of("the brief", Instant.EPOCH)),
            Map.of());

    AgentState end =
        agent(definition, model, checkpoints).run("t19", in, control(), RunListener.NONE);

    assertThat(end.messages().get(2).content()).isEqualTo("     1\tthe brief");
  }
}
