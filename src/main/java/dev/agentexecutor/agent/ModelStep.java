package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One model step: summarise the conversation if it outgrew the threshold, call the model with the
 * agent's prompt and tools, and save the answer; the loop runs its tool calls next, or is done.
 */
final class ModelStep {
  private final AgentNode node;
  private final RunContext run;
  private final LoopServices services;
  private final LoopCheckpoints checkpoints;

  ModelStep(AgentNode node, RunContext run, LoopServices services, LoopCheckpoints checkpoints) {
    this.node = node;
    this.run = run;
    this.services = services;
    this.checkpoints = checkpoints;
  }

  Checkpoint run(Checkpoint from) {
    RunControl control = run.control();
    try {
      control.beginModelCall();
      AgentState state = summarisedIfNeeded(from.state());
      ModelResponse response = call(state);
      Message answer = ToolCallIds.unique(state.messages(), response.message());
      AgentState next = state.withMessage(answer).afterModelCall(response.usage());
      return checkpoints.save(from, next, answer.hasToolCalls() ? Next.TOOLS : Next.DONE);
    } catch (RuntimeException e) {
      // A stopped run (cancelled, abandoned, out of time) ends as stopped, whatever the step failed
      // with meanwhile: the stop interrupted its model call.
      if (!(e instanceof RunStoppedException)) control.checkStopped();
      throw e;
    }
  }

  /** Older messages replaced by a summary; the summary is a model call and counts as a step. */
  private AgentState summarisedIfNeeded(AgentState state) {
    Summarizer summarizer = services.summarizer();
    if (!summarizer.needed(node.systemPrompt(), state)) return state;
    ModelResponse summary =
        interruptibly(
            () ->
                summarizer.summarise(node.name(), node.model(), state, services.runtime().model()));
    run.control().addUsage(summary.usage());
    checkSize(summary.message());
    AgentState summarised =
        state
            .withMessages(summarizer.replaceOlder(state.messages(), summary.message().content()))
            .afterModelCall(summary.usage());
    run.control().beginModelCall();
    return summarised;
  }

  private ModelResponse call(AgentState state) {
    List<Message> messages = new ArrayList<>(state.messages().size() + 1);
    messages.add(Message.system(node.systemPrompt()));
    messages.addAll(state.messages());
    ModelRequest request = new ModelRequest(node.name(), node.model(), messages, node.toolSpecs());
    Origin origin = run.origin(node.name());
    ModelResponse response =
        services
            .runtime()
            .tracing()
            .inSpan(
                "llm.call",
                node.name() + " " + node.model().model(),
                () ->
                    interruptibly(
                        () ->
                            services
                                .runtime()
                                .model()
                                .chat(request, token -> run.listener().onToken(origin, token))));
    run.control().addUsage(response.usage());
    checkSize(response.message());
    return response;
  }

  /**
   * A model call that the run's stop interrupts (aborting its request), and its deadline too when
   * it comes before the call could end on its own (every retry at MODEL_TIMEOUT_SECONDS).
   */
  private <T> T interruptibly(Supplier<T> call) {
    var models = services.runtime().models();
    Duration longest = models.timeout().multipliedBy(models.maxRetries() + 1L);
    return run.control().interruptibly(call, longest);
  }

  /** A model answer over MAX_MESSAGE_CHARS fails the run before it enters the state. */
  private void checkSize(Message answer) {
    long chars = answer.chars();
    long max = services.runtime().limits().state().maxMessageChars();
    if (chars > max) {
      throw new RunStoppedException(
          RunStoppedException.Kind.MESSAGE_TOO_LARGE,
          "the model's answer for "
              + node.name()
              + " has "
              + chars
              + " characters, over the limit of "
              + max
              + " (MAX_MESSAGE_CHARS)");
    }
  }
}
