package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.definition.NodeDefinition;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.agent.run.ToolResultPolicy;
import dev.agentexecutor.agent.tools.FileTools;
import dev.agentexecutor.agent.tools.HttpTool;
import dev.agentexecutor.agent.tools.TaskTool;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.WriteTodosTool;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.state.AgentState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deep agent built from a definition: an orchestrator that plans with todos, keeps files in its
 * state and delegates to subagents through the task tool. {@link #run(RunRequest)} executes the
 * step loop ({@link AgentLoop}: model step, then tool step), saving a checkpoint after every step
 * and resuming the job's run from the last one when the thread has any; subagents run the same loop
 * in their own checkpoint namespace, several at once when one reply starts several.
 */
public final class DeepAgent {
  private static final Tool WRITE_TODOS = new WriteTodosTool();
  private final AgentNode orchestrator;
  private final LoopServices services;

  private DeepAgent(AgentNode orchestrator, LoopServices services) {
    this.orchestrator = orchestrator;
    this.services = services;
  }

  /** Builds the agent graph of a validated definition. */
  public static DeepAgent build(AgentDefinition definition, AgentRuntime runtime) {
    return build(definition, runtime, ToolResultPolicy.NONE);
  }

  /** Builds the agent graph of a validated definition, its tool results going through a policy. */
  public static DeepAgent build(
      AgentDefinition definition, AgentRuntime runtime, ToolResultPolicy toolResults) {
    Settings.ModelSettings models = runtime.models();
    Map<String, Tool> customTools = new LinkedHashMap<>();
    definition
        .tools()
        .forEach((name, tool) -> customTools.put(name, new HttpTool(tool, runtime.httpTools())));
    NodeDefinition main = definition.orchestrator();
    Map<String, AgentNode> subagents = new LinkedHashMap<>();
    subagents.put(
        DefinitionParser.GENERAL_PURPOSE,
        AgentNode.of(
            DefinitionParser.GENERAL_PURPOSE,
            Prompts.forSubagent(Prompts.GENERAL_PURPOSE_PROMPT),
            main.model().withDefaults(models.defaultProvider(), models.defaultModel()),
            withBuiltIns(List.copyOf(customTools.values()), null),
            main.interruptOn())); // as deepagents: the orchestrator's rules are its default
    for (NodeDefinition node : definition.subagents().values()) {
      subagents.put(
          node.name(),
          AgentNode.of(
              node.name(),
              Prompts.forSubagent(node.systemPrompt()),
              node.model().withDefaults(models.defaultProvider(), models.defaultModel()),
              withBuiltIns(selected(node, customTools), null),
              node.interruptOn()));
    }
    AgentNode orchestrator =
        AgentNode.of(
            main.name(),
            Prompts.forOrchestrator(main.systemPrompt()),
            main.model().withDefaults(models.defaultProvider(), models.defaultModel()),
            withBuiltIns(selected(main, customTools), new TaskTool(catalogue(definition))),
            main.interruptOn());
    Summarizer summarizer =
        new Summarizer(
            runtime.limits().summarizationTokenThreshold(),
            runtime.limits().summarizationKeepMessages());
    return new DeepAgent(
        orchestrator, new LoopServices(runtime, summarizer, Map.copyOf(subagents), toolResults));
  }

  /** Every subagent the task tool offers, with its description, in the order to show them. */
  private static Map<String, String> catalogue(AgentDefinition definition) {
    Map<String, String> catalogue = new LinkedHashMap<>();
    catalogue.put(DefinitionParser.GENERAL_PURPOSE, Prompts.GENERAL_PURPOSE_DESCRIPTION);
    definition.subagents().values().forEach(n -> catalogue.put(n.name(), n.description()));
    return catalogue;
  }

  private static List<Tool> selected(NodeDefinition node, Map<String, Tool> customTools) {
    return node.tools().stream()
        .distinct()
        .filter(customTools::containsKey)
        .map(customTools::get)
        .toList();
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
    AgentLoop.Outcome outcome =
        new AgentLoop(orchestrator, root, services)
            .runTurn(request.input(), request.usageAtStart());
    return switch (outcome) {
      case AgentLoop.Outcome.Done done ->
          new RunResult.Finished(
              done.state(), done.state().usage().minus(request.usageAtStart()), null);
      case AgentLoop.Outcome.Parked parked ->
          new RunResult.Parked(
              parked.interrupts(), parked.state(), parked.usage().minus(request.usageAtStart()));
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
}
