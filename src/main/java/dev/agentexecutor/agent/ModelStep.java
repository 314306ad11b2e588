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
 * One model step: summarise the conversation if what the call would send outgrew the node's
 * threshold, call the model with the agent's prompt and tools, hold a final answer to the node's
 * response_format (sending it back with the violations, up to STRUCTURED_OUTPUT_MAX_RETRIES times),
 * and save the answer; the loop runs its tool calls next, or is done.
 */
final class ModelStep {
  private final AgentNode node;
  private final RunContext run;
  private final LoopServices services;
  private final LoopCheckpoints checkpoints;
  private final Summarizer.Sizes sizes = new Summarizer.Sizes();

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
      next = structured(next, response);
      return checkpoints.save(
          from, next, next.lastMessage().hasToolCalls() ? Next.TOOLS : Next.DONE);
    } catch (RuntimeException e) {
      // A stopped run (cancelled, abandoned, out of time) ends as stopped, whatever the step failed
      // with meanwhile: the stop interrupted its model call.
      if (!(e instanceof RunStoppedException)) control.checkStopped();
      throw e;
    }
  }

  /**
   * A final answer of a node with a response_format, once it matches: each answer that does not is
   * kept in the conversation with a message naming the violations, and the model asked again (each
   * retry a model call of the run); the run fails after the last retry.
   */
  private AgentState structured(AgentState state, ModelResponse first) {
    if (node.answerSchema() == null) return state;
    ModelResponse response = first;
    AgentState next = state;
    int retries = services.runtime().agent().structuredOutputMaxRetries();
    for (int attempt = 0; !response.message().hasToolCalls(); attempt++) {
      List<String> violations =
          StructuredAnswers.violations(node.answerSchema(), response.message().content());
      if (violations.isEmpty()) return next;
      if (attempt >= retries) {
        throw new RunStoppedException(
            RunStoppedException.Kind.STRUCTURED_OUTPUT_INVALID,
            "the final answer of "
                + node.name()
                + " does not match its response_format after "
                + (attempt + 1)
                + " attempts (STRUCTURED_OUTPUT_MAX_RETRIES="
                + retries
                + "): "
                + String.join("; ", violations));
      }
      next = next.withMessage(Message.user(StructuredAnswers.correction(violations)));
      run.control().beginModelCall();
      response = call(next);
      next = next.withMessage(response.message()).afterModelCall(response.usage());
    }
    return next;
  }

  /**
   * Older messages replaced by a summary, which is saved to the job's files as well; the summary is
   * a model call and counts as a step.
   */
  private AgentState summarisedIfNeeded(AgentState state) {
    Summarizer summarizer = node.summarizer();
    if (!summarizer.needed(node.fixedChars(), state, sizes)) return state;
    ModelResponse summary =
        interruptibly(
            () ->
                summarizer.summarise(node.name(), node.model(), state, services.runtime().model()));
    run.control().addUsage(node.name(), modelName(), summary.usage());
    checkSize(summary.message());
    AgentState summarised =
        withHistory(state, summarizer.older(state.messages()))
            .withMessages(summarizer.replaceOlder(state.messages(), summary.message().content()))
            .afterModelCall(summary.usage());
    run.control().beginModelCall();
    return summarised;
  }

  /** The state with the messages a summary replaces saved to /conversation_history/{n}.md. */
  private AgentState withHistory(AgentState state, List<Message> older) {
    String path = JobFiles.nextNumbered(state.files(), ConversationHistory.folder(run.namespace()));
    AgentState saved =
        JobFiles.write(
            state,
            path,
            ConversationHistory.markdown(node.name(), older),
            services.runtime().limits().state(),
            run.control().now());
    return saved == null ? state : saved;
  }

  private ModelResponse call(AgentState state) {
    List<Message> messages = new ArrayList<>(state.messages().size() + 1);
    messages.add(Message.system(node.systemPrompt()));
    messages.addAll(state.messages());
    ModelRequest request =
        new ModelRequest(
            node.name(), node.model(), messages, node.toolSpecs(), node.responseFormat());
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
    run.control().addUsage(node.name(), modelName(), response.usage());
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

  /** How usage names the node's model: {@code provider/model}. */
  private String modelName() {
    return node.model().provider() + "/" + node.model().model();
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
