package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.agent.definition.DefinitionParser;
import dev.agentexecutor.agent.definition.NodeDefinition;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunListener;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.FileTools;
import dev.agentexecutor.agent.tools.HttpTool;
import dev.agentexecutor.agent.tools.TaskTool;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.agent.tools.WriteTodosTool;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.FileData;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.util.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A deep agent built from a definition: an orchestrator that plans with todos, keeps files in its
 * state and delegates to subagents through the task tool. {@link #run} executes the step loop
 * (model call, then tool calls), saving a checkpoint after every step and resuming from the last
 * one when the thread has any; subagents run the same loop in their own checkpoint namespace.
 */
public final class DeepAgent {
  private static final Tool WRITE_TODOS = new WriteTodosTool();
  private final AgentNode orchestrator;
  private final Map<String, AgentNode> subagents;
  private final ModelClient model;
  private final Checkpointer checkpointer;
  private final Tracing tracing;
  private final Summarizer summarizer;
  private final Settings.Limits limits;

  private DeepAgent(
      Map<String, AgentNode> subagents, AgentNode orchestrator, AgentRuntime runtime) {
    this.orchestrator = orchestrator;
    this.subagents = subagents;
    this.model = runtime.model();
    this.checkpointer = runtime.checkpointer();
    this.tracing = runtime.tracing();
    this.limits = runtime.limits();
    this.summarizer =
        new Summarizer(
            runtime.limits().summarizationTokenThreshold(),
            runtime.limits().summarizationKeepMessages());
  }

  /** Builds the agent graph of a validated definition. */
  public static DeepAgent build(AgentDefinition definition, AgentRuntime runtime) {
    Settings.ModelSettings models = runtime.models();
    Map<String, Tool> customTools = new LinkedHashMap<>();
    definition
        .tools()
        .forEach((name, tool) -> customTools.put(name, new HttpTool(tool, runtime.httpTools())));
    Map<String, AgentNode> subagents = new LinkedHashMap<>();
    NodeDefinition main = definition.orchestrator();
    List<Tool> mainCustom = selected(main, customTools);
    subagents.put(
        DefinitionParser.GENERAL_PURPOSE,
        AgentNode.of(
            DefinitionParser.GENERAL_PURPOSE,
            Prompts.forSubagent(Prompts.GENERAL_PURPOSE_PROMPT),
            main.model().withDefaults(models.defaultProvider(), models.defaultModel()),
            withBuiltIns(List.copyOf(customTools.values()), null)));
    for (NodeDefinition node : definition.subagents().values()) {
      subagents.put(
          node.name(),
          AgentNode.of(
              node.name(),
              Prompts.forSubagent(node.systemPrompt()),
              node.model().withDefaults(models.defaultProvider(), models.defaultModel()),
              withBuiltIns(selected(node, customTools), null)));
    }
    Map<String, String> catalogue = new LinkedHashMap<>();
    catalogue.put(DefinitionParser.GENERAL_PURPOSE, Prompts.GENERAL_PURPOSE_DESCRIPTION);
    definition.subagents().values().forEach(n -> catalogue.put(n.name(), n.description()));
    DeepAgent[] self = new DeepAgent[1];
    TaskTool task =
        new TaskTool(
            catalogue,
            (type, description, caller, context) ->
                self[0].runSubagent(type, description, caller, context));
    AgentNode orchestrator =
        AgentNode.of(
            main.name(),
            Prompts.forOrchestrator(main.systemPrompt()),
            main.model().withDefaults(models.defaultProvider(), models.defaultModel()),
            withBuiltIns(mainCustom, task));
    self[0] = new DeepAgent(Map.copyOf(subagents), orchestrator, runtime);
    return self[0];
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

  /** Runs (or resumes) the orchestrator of thread {@code threadId} to its final answer. */
  public AgentState run(
      String threadId, AgentState input, RunControl control, RunListener listener) {
    try {
      return new Loop(orchestrator, threadId, "", control, listener).run(input);
    } finally {
      Loop.CURRENT.remove();
    }
  }

  private AgentState runSubagent(
      String type, String description, AgentState caller, ToolCallContext context) {
    AgentNode node = subagents.get(type);
    Loop parent = Loop.CURRENT.get();
    AgentState input =
        AgentState.initial(List.of(Message.user(description)), caller.files(), Map.of());
    Loop loop =
        new Loop(
            node, parent.threadId, "task:" + context.toolCallId(), parent.control, parent.listener);
    AgentState result = loop.run(input);
    Loop.CURRENT.set(parent);
    return result;
  }

  /** One agent's step loop in one checkpoint namespace. */
  private final class Loop {
    /** The loop running on this thread, so that a task tool call knows its parent. */
    static final ThreadLocal<Loop> CURRENT = new ThreadLocal<>();

    private final AgentNode node;
    private final String threadId;
    private final String namespace;
    private final RunControl control;
    private final RunListener listener;
    private final ToolExecution toolExecution = new ToolExecution(limits.toolCallTimeout());

    Loop(
        AgentNode node,
        String threadId,
        String namespace,
        RunControl control,
        RunListener listener) {
      this.node = node;
      this.threadId = threadId;
      this.namespace = namespace;
      this.control = control;
      this.listener = listener;
    }

    AgentState run(AgentState input) {
      CURRENT.set(this);
      Optional<Checkpoint> saved = latest();
      if (saved.isPresent() && !saved.get().tenant().equals(control.tenant()))
        throw new ForeignThreadException(threadId);
      Checkpoint position =
          saved.orElseGet(
              () ->
                  new Checkpoint(
                      threadId,
                      namespace,
                      null,
                      null,
                      0,
                      control.now(),
                      Next.MODEL,
                      input.withMessages(DanglingToolCalls.patch(input.messages(), false)),
                      control.tenant()));
      if (saved.isPresent() && position.next() == Next.MODEL) {
        position =
            withState(
                position,
                position
                    .state()
                    .withMessages(DanglingToolCalls.patch(position.state().messages(), false)));
      }
      while (position.next() != Next.DONE) {
        control.checkBoundary();
        position = position.next() == Next.MODEL ? modelStep(position) : toolStep(position);
      }
      return position.state();
    }

    private Checkpoint modelStep(Checkpoint from) {
      AgentState state = from.state();
      control.beginModelCall();
      if (summarizer.needed(node.systemPrompt(), state)) {
        ModelResponse summary = summarizer.summarise(node.name(), node.model(), state, model);
        control.addUsage(summary.usage());
        checkSize(summary.message());
        state =
            state
                .withMessages(
                    summarizer.replaceOlder(state.messages(), summary.message().content()))
                .afterModelCall(summary.usage());
        control.beginModelCall();
      }
      List<Message> request = new ArrayList<>(state.messages().size() + 1);
      request.add(Message.system(node.systemPrompt()));
      request.addAll(state.messages());
      ModelRequest call = new ModelRequest(node.name(), node.model(), request, node.toolSpecs());
      ModelResponse response =
          tracing.inSpan(
              "llm.call",
              node.name() + " " + node.model().model(),
              () -> model.chat(call, token -> listener.onToken(node.name(), token)));
      control.addUsage(response.usage());
      checkSize(response.message());
      AgentState next = state.withMessage(response.message()).afterModelCall(response.usage());
      return save(from, next, response.message().hasToolCalls() ? Next.TOOLS : Next.DONE);
    }

    private Checkpoint toolStep(Checkpoint from) {
      AgentState state = from.state();
      Message request = state.lastMessage();
      Set<String> answered = new HashSet<>();
      for (Message m : state.messages()) if (m.toolCallId() != null) answered.add(m.toolCallId());
      for (ToolCall call : request.toolCalls()) {
        if (answered.contains(call.id())) continue;
        control.checkStopped(); // a long batch of calls stops as promptly as a step
        listener.onToolStart(node.name(), call);
        ToolResult result = withinLimits(call, execute(call, state), state);
        state = result.state().withMessage(Message.tool(call.id(), call.name(), result.output()));
        listener.onToolEnd(node.name(), call, result);
      }
      return save(from, state, Next.MODEL);
    }

    private ToolResult execute(ToolCall call, AgentState state) {
      Tool tool = node.tools().get(call.name());
      if (tool == null) {
        return ToolResult.error(
            "Error: tool '"
                + call.name()
                + "' does not exist. Available tools: "
                + String.join(", ", node.tools().keySet()),
            state);
      }
      try {
        ToolCallContext context =
            new ToolCallContext(call.id(), node.name(), control.now(), limits.state());
        return tracing.inSpan(
            "tool.call",
            call.name(),
            () ->
                toolExecution.run(
                    tool, () -> tool.call(call.args(), state, context), control, state));
      } catch (ToolException e) {
        return ToolResult.error("Error: " + e.getMessage(), state);
      } catch (RunStoppedException
          | BackendUnavailableException
          | dev.agentexecutor.model.ModelException e) {
        throw e; // not the tool's fault: the run stops (or is retried) as a whole
      } catch (RuntimeException e) {
        // A subagent's loop failing (its model, its checkpoints) is not a tool error: the run fails
        // as it would if the orchestrator's own loop had failed, and resumes from the checkpoints.
        if (tool instanceof TaskTool) throw e;
        return ToolResult.error("Error: " + call.name() + " failed: " + e, state);
      } finally {
        CURRENT.set(this);
      }
    }

    /** A model answer over MAX_MESSAGE_CHARS fails the run before it enters the state. */
    private void checkSize(Message answer) {
      long chars = answer.chars();
      if (chars > limits.state().maxMessageChars()) {
        throw new RunStoppedException(
            RunStoppedException.Kind.MESSAGE_TOO_LARGE,
            "the model's answer for "
                + node.name()
                + " has "
                + chars
                + " characters, over the limit of "
                + limits.state().maxMessageChars()
                + " (MAX_MESSAGE_CHARS)");
      }
    }

    /**
     * The result as the model may see it: cut at MAX_TOOL_RESULT_CHARS, and undone (an error
     * instead) if its files break the state's limits, which the file tools check themselves before
     * writing.
     */
    private ToolResult withinLimits(ToolCall call, ToolResult result, AgentState before) {
      if (filesChanged(before.files(), result.state().files())) {
        String problem = limits.state().problem(result.state().files());
        if (problem != null)
          return ToolResult.error("Error: " + call.name() + " was undone: " + problem, before);
      }
      int max = limits.state().maxToolResultChars();
      if (result.output().length() <= max) return result;
      String cut =
          result.output().substring(0, max)
              + "\n[truncated: the result has "
              + result.output().length()
              + " characters and only the first "
              + max
              + " are shown (MAX_TOOL_RESULT_CHARS); ask for less, e.g. a smaller range]";
      return new ToolResult(cut, result.state(), result.error());
    }

    /** Whether a file was added, removed or replaced; files are immutable, so identity says it. */
    private static boolean filesChanged(Map<String, FileData> before, Map<String, FileData> after) {
      if (before == after) return false;
      if (before.size() != after.size()) return true;
      for (Map.Entry<String, FileData> file : after.entrySet()) {
        if (before.get(file.getKey()) != file.getValue()) return true;
      }
      return false;
    }

    private Checkpoint save(Checkpoint from, AgentState state, Next next) {
      Checkpoint checkpoint =
          new Checkpoint(
              threadId,
              namespace,
              Ids.timeOrdered(),
              from.id(),
              from.id() == null ? 1 : from.step() + 1,
              control.now(),
              next,
              state,
              control.tenant());
      checkpointer.put(checkpoint);
      if (namespace.isEmpty()) listener.onStateUpdate(state);
      return checkpoint;
    }

    private Optional<Checkpoint> latest() {
      return checkpointer.latest(threadId, namespace);
    }

    private Checkpoint withState(Checkpoint c, AgentState state) {
      return new Checkpoint(
          c.threadId(),
          c.namespace(),
          c.id(),
          c.parentId(),
          c.step(),
          c.createdAt(),
          c.next(),
          state,
          c.tenant());
    }
  }
}
