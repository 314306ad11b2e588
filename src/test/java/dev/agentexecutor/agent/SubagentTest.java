package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.agent;
import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.model.provider.ModelRouter;
import dev.agentexecutor.util.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delegation through the task tool to specialists and the built-in general-purpose subagent. */
class SubagentTest {
  /**
   * Lead delegates to the researcher, then to the writer (who reads the researcher's notes, so in a
   * later reply: calls of one reply run in parallel), lists the files, then answers.
   */
  private static final String TEAM =
      """
      {"nodes": [
        {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
          "model": {"provider": "scripted", "model": "lead-model", "script": [
            {"tool_calls": [
              {"name": "task", "id": "call_r", "args": {"subagent_type": "researcher", "description": "Save facts to /notes.md"}}]},
            {"tool_calls": [
              {"name": "task", "id": "call_w", "args": {"subagent_type": "writer", "description": "Turn /notes.md into /report.md"}}]},
            {"tool_calls": [{"name": "ls", "id": "call_ls", "args": {}}]},
            {"content": "Report ready."}]}}},
        {"id": "researcher", "type": "specialist", "config": {"name": "researcher", "description": "Finds facts.",
          "system_prompt": "You research.",
          "model": {"provider": "scripted", "model": "research-model", "script": [
            {"tool_calls": [{"name": "write_file", "args": {"file_path": "/notes.md", "content": "fact one"}}]},
            {"content": "Saved facts to /notes.md."}]}}},
        {"id": "writer", "type": "specialist", "config": {"name": "writer",
          "system_prompt": "%s",
          "model": {"provider": "scripted", "model": "writer-model", "script": [
            {"tool_calls": [{"name": "read_file", "args": {"file_path": "/notes.md"}}]},
            {"tool_calls": [{"name": "write_file", "args": {"file_path": "/report.md", "content": "Report: fact one"}}]},
            {"content": "Wrote /report.md."}]}}}]}""";

  private static final String WRITER_PROMPT = "You write clear reports. ".repeat(12);

  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();
  private final RecordingModel model = new RecordingModel();

  private static String team() {
    return TEAM.formatted(WRITER_PROMPT);
  }

  private static String lead(String script) {
    return """
        {"nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "model": {"provider": "scripted", "model": "lead-model", "script": %s}}},
          {"id": "researcher", "type": "specialist", "config": {"name": "researcher", "system_prompt": "You research.",
            "model": {"provider": "scripted", "script": [{"content": "facts"}]}}}]}"""
        .formatted(script);
  }

  @Test
  void twoSpecialistsWriteFilesThatTheOrchestratorAndTheFinalStateSee() {
    AgentState end =
        agent(team(), model, checkpoints)
            .run("job1", input("Write a report"), control(), RunListener.NONE);

    assertThat(end.files()).containsOnlyKeys("/notes.md", "/report.md");
    assertThat(end.files().get("/report.md").text()).isEqualTo("Report: fact one");
    List<Message> toolResults = end.messages().stream().filter(m -> m.role() == Role.TOOL).toList();
    assertThat(toolResults)
        .extracting(Message::toolCallId, Message::content)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("call_r", "Saved facts to /notes.md."),
            org.assertj.core.groups.Tuple.tuple("call_w", "Wrote /report.md."),
            org.assertj.core.groups.Tuple.tuple("call_ls", "/notes.md\n/report.md"));
    assertThat(end.lastMessage().content()).isEqualTo("Report ready.");
  }

  @Test
  void aSubagentSeesOnlyItsTaskItsOwnPromptAndNoTaskTool() {
    agent(team(), model, checkpoints)
        .run("job2", input("Write a report"), control(), RunListener.NONE);

    ModelRequest first = model.requestsOf("researcher").get(0);
    assertThat(first.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
    assertThat(first.messages().get(1).content()).isEqualTo("Save facts to /notes.md");
    assertThat(first.messages().get(0).content())
        .startsWith("You research.\n\n## Planning with write_todos")
        .doesNotContain("## Delegating with task")
        .endsWith("it is returned to the agent that gave you the task.");
    assertThat(first.config().model()).isEqualTo("research-model");
    assertThat(first.tools())
        .extracting(ToolSpec::name)
        .doesNotContain("task")
        .contains("write_file");
  }

  @Test
  void theWriterReadsWhatTheResearcherWroteInAnEarlierStep() {
    agent(team(), model, checkpoints)
        .run("job3", input("Write a report"), control(), RunListener.NONE);

    List<ModelRequest> writer = model.requestsOf("writer");
    assertThat(writer.get(1).messages().get(3).content()).isEqualTo("     1\tfact one");
  }

  @Test
  void subagentStateLivesInTheTaskNamespaceOfItsToolCall() {
    agent(team(), model, checkpoints)
        .run("job4", input("Write a report"), control(), RunListener.NONE);

    List<Checkpoint> researcher = checkpoints.history("job4", "task:call_r");
    assertThat(researcher)
        .extracting(Checkpoint::next)
        .containsExactly(Next.TOOLS, Next.MODEL, Next.DONE);
    assertThat(researcher.get(2).state().lastMessage().content())
        .isEqualTo("Saved facts to /notes.md.");
    assertThat(checkpoints.history("job4", "task:call_w")).hasSize(5);
    assertThat(checkpoints.history("job4", ""))
        .extracting(Checkpoint::next)
        .containsExactly(
            Next.TOOLS, Next.MODEL, Next.TOOLS, Next.MODEL, Next.TOOLS, Next.MODEL, Next.DONE);
  }

  @Test
  void aResumedDelegationDoesNotRerunAFinishedSubagent() {
    RecordingModel failing =
        new RecordingModel().failingAtCall(5); // lead, researcher x2, lead, the writer's first call
    assertThatThrownBy(
            () ->
                agent(team(), failing, checkpoints)
                    .run("job5", input("Write a report"), control(), RunListener.NONE))
        .hasMessageContaining("model down");

    AgentState end =
        agent(team(), model, checkpoints)
            .run("job5", input("Write a report"), control(), RunListener.NONE);

    assertThat(model.requestsOf("researcher")).isEmpty();
    assertThat(model.requestsOf("lead")).hasSize(2);
    assertThat(model.requestsOf("writer")).hasSize(3);
    assertThat(end.files()).containsOnlyKeys("/notes.md", "/report.md");
  }

  @Test
  void aRepeatedToolCallIdNeverResumesAnotherCallsSubagent() {
    String definition =
        """
        {"nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "model": {"provider": "scripted", "model": "lead-model", "script": [
              {"tool_calls": [{"name": "task", "id": "t", "args": {"subagent_type": "a", "description": "one"}}]},
              {"tool_calls": [
                {"name": "task", "id": "t", "args": {"subagent_type": "b", "description": "two"}},
                {"name": "ls", "id": "t", "args": {}}]},
              {"content": "Done."}]}}},
          {"id": "a", "type": "specialist", "config": {"name": "a", "system_prompt": "You are a.",
            "model": {"provider": "scripted", "script": [{"content": "a's answer"}]}}},
          {"id": "b", "type": "specialist", "config": {"name": "b", "system_prompt": "You are b.",
            "model": {"provider": "scripted", "script": [{"content": "b's answer"}]}}}]}""";

    AgentState end =
        agent(definition, model, checkpoints).run("job9", input("go"), control(), RunListener.NONE);

    assertThat(model.requestsOf("b")).hasSize(1);
    List<Message> results = end.messages().stream().filter(m -> m.role() == Role.TOOL).toList();
    assertThat(results)
        .extracting(Message::content)
        .containsExactly("a's answer", "b's answer", "No files found in /");
    assertThat(results.stream().map(Message::toolCallId).distinct()).hasSize(3);
    String second = end.messages().get(3).toolCalls().get(0).id();
    assertThat(second).isNotEqualTo("t");
    assertThat(checkpoints.latest("job9", "task:" + second)).isPresent();
  }

  @Test
  void anUnknownSubagentTypeIsAToolErrorListingTheAllowedTypes() {
    String definition =
        lead(
            """
        [{"tool_calls": [{"name": "task", "id": "t1", "args": {"subagent_type": "poet", "description": "Write a poem"}}]},
         {"content": "No poet available."}]""");

    AgentState end =
        agent(definition, model, checkpoints).run("job6", input("go"), control(), RunListener.NONE);

    assertThat(end.messages().get(2).content())
        .isEqualTo(
            "Error: invoked agent of type poet, the only allowed types are `general-purpose`, `researcher`");
    assertThat(end.lastMessage().content()).isEqualTo("No poet available.");
    assertThat(model.requestsOf("lead").get(1).messages())
        .extracting(Message::content)
        .anyMatch(c -> c.contains("the only allowed types are"));
  }

  @Test
  void theGeneralPurposeSubagentExistsByDefaultWithTheOrchestratorsModelAndTools() {
    String definition =
        lead(
            """
        [{"tool_calls": [{"name": "task", "id": "gp1", "args": {"subagent_type": "general-purpose", "description": "Summarise"}}]},
         {"content": "Done."}]""");
    ModelConfig gpScript =
        new ModelConfig(
            "scripted", "gp", null, null, Json.parse("[{\"content\": \"Summary written.\"}]"));
    ModelRouter router = AgentTestKit.router();
    RecordingModel routed =
        new RecordingModel(router)
            .beforeEachCall(
                request ->
                    request.node().equals("general-purpose")
                        ? new ModelRequest(
                            request.node(), gpScript, request.messages(), request.tools())
                        : request);

    AgentState end =
        agent(definition, routed, checkpoints)
            .run("job7", input("go"), control(), RunListener.NONE);

    assertThat(end.messages().get(2).content()).isEqualTo("Summary written.");
    ModelRequest gp = routed.requestsOf("general-purpose").get(0);
    assertThat(gp.config().model()).isEqualTo("lead-model");
    assertThat(gp.tools())
        .extracting(ToolSpec::name)
        .doesNotContain("task")
        .contains("write_todos", "grep");
  }

  @Test
  void theTaskToolDescribesEverySubagentUsingThePromptWhenThereIsNoDescription() {
    agent(team(), model, checkpoints)
        .run("job8", input("Write a report"), control(), RunListener.NONE);

    ToolSpec task =
        model.requestsOf("lead").get(0).tools().stream()
            .filter(t -> t.name().equals("task"))
            .findFirst()
            .orElseThrow();
    assertThat(task.description())
        .contains("- general-purpose: General-purpose agent")
        .contains("- researcher: Finds facts.")
        .endsWith("- writer: " + WRITER_PROMPT.substring(0, 200))
        .doesNotContain(WRITER_PROMPT.substring(0, 201));
    assertThat(task.parameters().path("required")).hasSize(2);
  }

  @Test
  void aSubagentsFailureFailsTheRun() {
    String definition =
        lead("""
        [{"tool_calls": [{"name": "task", "id": "t1", "args": {"subagent_type": "researcher", "description": "x"}},
                         {"name": "task", "id": "t2", "args": {"subagent_type": "researcher", "description": "y"}}]},
         {"content": "done"}]""")
            .replace("[{\"content\": \"facts\"}]", "[{\"tool_calls\": [{\"name\": \"ls\"}]}]");

    assertThatThrownBy(
            () ->
                agent(definition, model, checkpoints)
                    .run("job9", input("go"), control(), RunListener.NONE))
        .hasMessageContaining("scripted model has no response #2 for node researcher");
  }
}
