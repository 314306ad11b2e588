package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static dev.agentexecutor.agent.AgentTestKit.orchestrator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.agent.AgentTestKit.RecordingModel;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.util.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hook where a tool result becomes a message: its changes reach the state, in every call. */
class ToolResultPolicyTest {
  /** Moves results longer than 20 characters into a file and leaves a pointer, as eviction does. */
  private static final ToolResultPolicy EVICT =
      (call, result, context) -> {
        if (result.output().length() <= 20) return result;
        String path = "/large_tool_results/" + call.id();
        AgentState state =
            result.state().withFile(path, FileData.of(result.output(), Instant.EPOCH));
        return new ToolResult("see " + path, state, result.error());
      };

  @Test
  void aPolicysFileAndPointerReachTheStateForEveryCallOfAReply() {
    String script =
        """
        [{"tool_calls": [
           {"name": "write_file", "id": "w", "args": {"file_path": "/long.md", "content": "x"}},
           {"name": "read_file", "id": "r1", "args": {"file_path": "/seed.md"}},
           {"name": "ls", "id": "l", "args": {}}]},
         {"content": "Done."}]""";
    MemoryCheckpointer checkpoints = new MemoryCheckpointer();
    DeepAgent agent =
        DeepAgent.build(
            DefinitionParser.parse(Json.parse(orchestrator(script))),
            AgentTestKit.runtime(new RecordingModel(), checkpoints, AgentTestKit.limits()),
            EVICT);
    AgentState seeded =
        input("go")
            .withFile("/seed.md", FileData.of("a line that is longer than twenty", Instant.EPOCH));

    AgentState end = agent.run("t1", seeded, control(), RunListener.NONE);

    assertThat(end.files()).containsKey("/large_tool_results/r1");
    assertThat(end.files().get("/large_tool_results/r1").text()).contains("longer than twenty");
    assertThat(end.messages())
        .filteredOn(m -> m.role() == Role.TOOL)
        .extracting(Message::toolCallId, Message::content)
        .contains(org.assertj.core.groups.Tuple.tuple("r1", "see /large_tool_results/r1"));
  }
}
