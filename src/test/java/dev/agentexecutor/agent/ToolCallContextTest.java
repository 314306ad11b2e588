package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.FileTools;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.util.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every tool call gets its run explicitly: thread, namespace, node, call id, run control, listener
 * and a handle to start a subagent. Nothing is found through the calling thread, so a tool that
 * runs on a thread of its own can start a subagent as the task tool does.
 */
class ToolCallContextTest {
  private final MemoryCheckpointer checkpoints = new MemoryCheckpointer();

  /** A tool on a virtual thread of its own that hands its work to the general-purpose subagent. */
  private static final class Delegating implements Tool {
    final AtomicReference<ToolCallContext> seen = new AtomicReference<>();
    final AtomicReference<Thread> ranOn = new AtomicReference<>();

    @Override
    public ToolSpec spec() {
      return new ToolSpec("delegate", "Hands the work to a subagent.", Json.object());
    }

    @Override
    public Execution execution() {
      return Execution.IO_BOUND;
    }

    @Override
    public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
      seen.set(context);
      ranOn.set(Thread.currentThread());
      AgentState result = context.subagents().run("general-purpose", "Summarise it", state);
      return ToolResult.ok(result.lastMessage().content(), state.withFiles(result.files()));
    }
  }

  private static ModelConfig scripted(String script) {
    return new ModelConfig("scripted", "m", null, null, Json.parse(script));
  }

  @Test
  void aToolOnAnotherThreadStartsASubagentThroughItsContext() {
    Delegating tool = new Delegating();
    AgentNode lead =
        AgentNode.of(
            "lead",
            "You lead.",
            scripted(
                """
                [{"tool_calls": [{"name": "delegate", "id": "call_d", "args": {}}]},
                 {"content": "Done."}]"""),
            List.of(tool),
            Map.of());
    AgentNode helper =
        AgentNode.of(
            "general-purpose",
            "You help.",
            scripted(
                """
                [{"tool_calls": [{"name": "write_file", "args": {"file_path": "/sum.md", "content": "s"}}]},
                 {"content": "Summary written."}]"""),
            FileTools.all(),
            Map.of());
    LoopServices services =
        new LoopServices(
            AgentTestKit.runtime(AgentTestKit.router(), checkpoints, AgentTestKit.limits()),
            ToolResultPolicy.NONE,
            Map.of("general-purpose", helper));
    RunControl control = control();
    RunContext run = RunContext.root("thread-1", control, RunListener.NONE);

    AgentState end = new AgentLoop(lead, run, services).run(input("Go")).state();

    assertThat(tool.ranOn.get()).isNotEqualTo(Thread.currentThread());
    ToolCallContext context = tool.seen.get();
    assertThat(context.toolCallId()).isEqualTo("call_d");
    assertThat(context.node()).isEqualTo("lead");
    assertThat(context.run().threadId()).isEqualTo("thread-1");
    assertThat(context.run().namespace()).isEmpty();
    assertThat(context.run().control()).isSameAs(control);
    assertThat(end.messages())
        .filteredOn(m -> m.role() == Role.TOOL)
        .extracting(Message::content)
        .containsExactly("Summary written.");
    assertThat(end.files()).containsKey("/sum.md");
    assertThat(checkpoints.latest("thread-1", "task:call_d")).isPresent();
  }
}
