package dev.agentexecutor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.definition.NodeDefinition;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.agent.tools.FileTools;
import dev.agentexecutor.agent.tools.TaskTool;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.WriteTodosTool;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deep agent built from a definition: an orchestrator that plans with todos, keeps files in its
 * state and delegates to subagents through the task tool. {@link #run} executes the step loop
 * ({@link AgentLoop}: model step, then tool step), saving a checkpoint after every step and
 * resuming from the last one when the thread has any; subagents run the same loop in their own
 * checkpoint namespace. Building it opens the sessions of the MCP servers its nodes use; {@link
 * #close} closes them, so build one per run and close it when the run returns.
 */
public final class DeepAgent implements AutoCloseable {
  private static final Tool WRITE_TODOS = new WriteTodosTool();
  private final AgentNode orchestrator;
  private final LoopServices services;
  private final CustomTools customTools;

  private DeepAgent(AgentNode orchestrator, LoopServices services, CustomTools customTools) {
    this.orchestrator = orchestrator;
    this.services = services;
    this.customTools = customTools;
  }

  /**
   * Builds the agent graph of a validated definition, opening a session with each MCP server its
   * nodes use; throws {@code McpServerException} naming a server that cannot be used.
   */
  public static DeepAgent build(AgentDefinition definition, AgentRuntime runtime) {
    return build(definition, runtime, new LargeToolResults(runtime.agent().largeToolResultChars()));
  }

  /** As {@link #build(AgentDefinition, AgentRuntime)}, tool results going through a policy. */
  static DeepAgent build(
      AgentDefinition definition, AgentRuntime runtime, ToolResultPolicy toolResults) {
    CustomTools custom = CustomTools.open(definition, runtime);
    try {
      return build(definition, runtime, custom, toolResults);
    } catch (RuntimeException e) {
      custom.close();
      throw e;
    }
  }

  private static DeepAgent build(
      AgentDefinition definition,
      AgentRuntime runtime,
      CustomTools custom,
      ToolResultPolicy toolResults) {
    Map<String, AgentNode> subagents = new LinkedHashMap<>();
    NodeDefinition main = definition.orchestrator();
    subagents.put(
        DefinitionParser.GENERAL_PURPOSE,
        node(
            DefinitionParser.GENERAL_PURPOSE,
            Prompts.forSubagent(Prompts.GENERAL_PURPOSE_PROMPT),
            generalPurpose(main),
            withBuiltIns(custom.all(), null),
            runtime));
    for (NodeDefinition node : definition.subagents().values()) {
      subagents.put(
          node.name(),
          node(
              node.name(),
              Prompts.forSubagent(node.systemPrompt()),
              node,
              withBuiltIns(custom.selected(node), null),
              runtime));
    }
    AgentNode orchestrator =
        node(
            main.name(),
            Prompts.forOrchestrator(main.systemPrompt()),
            main,
            withBuiltIns(custom.selected(main), new TaskTool(catalogue(definition))),
            runtime);
    return new DeepAgent(
        orchestrator, new LoopServices(runtime, toolResults, Map.copyOf(subagents)), custom);
  }

  /** The built-in general-purpose subagent: the orchestrator's model, a free-text answer. */
  private static NodeDefinition generalPurpose(NodeDefinition main) {
    return new NodeDefinition(
        main.id(),
        "subagent",
        DefinitionParser.GENERAL_PURPOSE,
        null,
        "",
        main.model(),
        List.of(),
        main.interruptOn(), // as deepagents: the orchestrator's rules are its default
        null,
        main.summarization());
  }

  private static AgentNode node(
      String name, String prompt, NodeDefinition node, List<Tool> tools, AgentRuntime runtime) {
    Settings.ModelSettings models = runtime.models();
    var model = node.model().withDefaults(models.defaultProvider(), models.defaultModel());
    Summarizer summarizer = Summarizer.forNode(node.summarization(), model, runtime.limits());
    return AgentNode.of(
        name, prompt, model, tools, node.interruptOn(), node.responseFormat(), summarizer);
  }

  /** Every subagent the task tool offers, with its description, in the order to show them. */
  private static Map<String, String> catalogue(AgentDefinition definition) {
    Map<String, String> catalogue = new LinkedHashMap<>();
    catalogue.put(DefinitionParser.GENERAL_PURPOSE, Prompts.GENERAL_PURPOSE_DESCRIPTION);
    definition.subagents().values().forEach(n -> catalogue.put(n.name(), n.description()));
    return catalogue;
  }

  private static List<Tool> withBuiltIns(List<Tool> custom, TaskTool task) {
    List<Tool> tools = new ArrayList<>();
    tools.add(WRITE_TODOS);
    tools.addAll(FileTools.all());
    if (task != null) tools.add(task);
    tools.addAll(custom);
    return tools;
  }

  public String orchestratorName() {
    return orchestrator.name();
  }

  /**
   * Runs one job on its thread: resumes the job's own run from its checkpoints (applying the
   * decisions it is given), or starts a new turn with its input. Ends finished or parked; throws
   * {@link dev.agentexecutor.agent.run.RunStoppedException} when stopped or out of a limit, and
   * lets backend and model failures through.
   */
  public RunResult run(RunRequest request) {
    RunContext root = RunContext.root(request, RunListener.serialized(request.listener()));
    AgentLoop loop = new AgentLoop(orchestrator, root, services);
    AgentLoop.Outcome outcome =
        loop.runTurn(request.input(), request.usageAtStart(), request.forkedState());
    Usage base = loop.usageBase();
    return switch (outcome) {
      case AgentLoop.Outcome.Done done ->
          new RunResult.Finished(
              done.state(), done.state().usage().minus(base), structuredResponse(done.state()));
      case AgentLoop.Outcome.Parked parked ->
          new RunResult.Parked(parked.interrupts(), parked.state(), parked.usage().minus(base));
    };
  }

  /**
   * Runs (or resumes) the orchestrator of thread {@code threadId}, as the job of the same id, to
   * its final answer; a run that parks for approval is an {@link IllegalStateException} here (use
   * {@link #run(RunRequest)}).
   */
  public AgentState run(
      String threadId, AgentState input, RunControl control, RunListener listener) {
    RunResult result = run(RunRequest.of(threadId, input, control, listener));
    if (result instanceof RunResult.Parked parked) {
      throw new IllegalStateException(
          "the run parked on " + parked.interrupts().size() + " interrupt(s)");
    }
    return result.state();
  }

  /**
   * The orchestrator's structured answer (its {@code response_format}) in a final state, or null
   * when it answers in free text.
   */
  public JsonNode structuredResponse(AgentState end) {
    if (orchestrator.responseFormat() == null || end.lastMessage() == null) return null;
    return StructuredAnswers.parse(end.lastMessage().content());
  }

  /** Closes the MCP sessions opened for this agent. */
  @Override
  public void close() {
    customTools.close();
  }
}
