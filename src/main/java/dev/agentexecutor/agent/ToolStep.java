package dev.agentexecutor.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.agent.run.Interrupt;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.PendingWrite;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tool step: the tool calls of the model's last answer that have no result yet. Calls that need
 * approval (the node's {@code interrupt_on}) are decided first: while one lacks a decision the step
 * records the interrupts and parks, running none of the reply's calls. The rest run as a {@link
 * CallBatch} (in parallel where they wait); in a batch of several, each call is recorded as it
 * finishes, so a resumed step runs only the calls that had not. A subagent that parks parks its
 * call; once every call is settled, the step parks with its subagents' interrupts, or merges the
 * calls' changes in call order, adds their results in call order and saves the state. The loop
 * calls the model next.
 */
final class ToolStep {
  /** What a tool step ends with. */
  sealed interface Outcome {
    record Saved(Checkpoint checkpoint) implements Outcome {}

    /**
     * @param usage the tokens so far: the state's, its finished calls' and parked subagents'
     */
    record Parked(List<Interrupt> interrupts, Usage usage) implements Outcome {}
  }

  private final RunContext run;
  private final LoopServices services;
  private final LoopCheckpoints checkpoints;
  private final ToolCallRun calls;
  private final ApprovalGate approvals;

  ToolStep(AgentNode node, RunContext run, LoopServices services, LoopCheckpoints checkpoints) {
    this.run = run;
    this.services = services;
    this.checkpoints = checkpoints;
    this.calls = new ToolCallRun(node, run, services);
    this.approvals = new ApprovalGate(node, run);
  }

  /**
   * Runs the step after {@code from}; {@code resumed} when {@code from} was read back rather than
   * saved by this loop just now (only then can writes be recorded against it).
   */
  Outcome run(Checkpoint from, boolean resumed) {
    AgentState reply = from.state();
    List<ToolCall> asked = reply.lastMessage().toolCalls();
    Recorded recorded = resumed ? Recorded.of(checkpoints.writes(from)) : Recorded.NONE;
    recorded.results().values().forEach(call -> run.control().addUsage(call.usage()));
    FinishedCall[] finished = new FinishedCall[asked.size()];
    List<Integer> pending = pending(reply, asked, recorded, finished);
    List<Interrupt> waiting = waiting(asked, pending, recorded);
    if (!waiting.isEmpty()) return park(from, waiting, reply, finished);

    List<ToolCall> asRun = new ArrayList<>(asked);
    List<Integer> toRun = decide(from, pending, asRun, recorded, finished);
    Settlement settled =
        Settlement.of(batch(from, toRun.size()).run(pick(asRun, toRun), reply), toRun, finished);
    if (settled.failure() != null) {
      run.control().checkStopped(); // a stopped run ends as stopped, whatever its calls threw
      throw settled.failure();
    }
    if (!settled.parked().isEmpty())
      return new Outcome.Parked(settled.parked(), usageOf(reply, finished).plus(settled.usage()));
    AgentState after =
        asked.size() == 1 && asRun.equals(asked) && settled.onlyCallOn(reply) != null
            ? afterOnlyCall(settled.onlyCallOn(reply))
            : merged(reply, asked, asRun, finished);
    return new Outcome.Saved(checkpoints.save(from, after, Next.MODEL));
  }

  /** The calls still to run that need approval and have no decision, as interrupts. */
  private List<Interrupt> waiting(List<ToolCall> asked, List<Integer> pending, Recorded recorded) {
    List<Interrupt> waiting = new ArrayList<>();
    for (int i : pending) {
      ToolCall call = asked.get(i);
      if (approvals.gated(call) && approvals.decision(call, recorded.decisions()).isEmpty())
        waiting.add(approvals.interruptOf(call));
    }
    return waiting;
  }

  /**
   * How the calls of a batch ended, gathered: each finished call into {@code finished} at its
   * index, the interrupts and tokens of parked subagents, and the first failure in call order.
   */
  private record Settlement(
      List<Interrupt> parked,
      Usage usage,
      RuntimeException failure,
      List<CallBatch.Settled.Finished> done) {

    static Settlement of(
        List<CallBatch.Settled> settled, List<Integer> indexes, FinishedCall[] finished) {
      List<Interrupt> parked = new ArrayList<>();
      List<CallBatch.Settled.Finished> done = new ArrayList<>();
      Usage usage = Usage.ZERO;
      RuntimeException failure = null;
      for (int k = 0; k < indexes.size(); k++) {
        switch (settled.get(k)) {
          case CallBatch.Settled.Finished call -> {
            finished[indexes.get(k)] = call.call();
            done.add(call);
          }
          case CallBatch.Settled.Parked p -> {
            parked.addAll(p.parked().interrupts());
            usage = usage.plus(p.parked().usage());
          }
          case CallBatch.Settled.Failed f -> failure = failure == null ? f.failure() : failure;
        }
      }
      return new Settlement(parked, usage, failure, done);
    }

    /** The one call that ran, when it ran on {@code reply} itself; else null. */
    CallBatch.Settled.Finished onlyCallOn(AgentState reply) {
      return done.size() == 1 && done.get(0).given() == reply ? done.get(0) : null;
    }
  }

  /** The usual step, one call: its state as it returned it, no merge needed. */
  private static AgentState afterOnlyCall(CallBatch.Settled.Finished only) {
    AgentState after = only.after();
    Usage usage = only.call().usage();
    if (!usage.equals(Usage.ZERO)) after = after.withUsage(after.usage().plus(usage));
    return after.withMessage(only.call().message());
  }

  /**
   * The indexes of the calls that still need to run; the others are filled in {@code finished}:
   * recorded before, or beyond MAX_TOOL_CALLS_PER_REPLY (answered, never run).
   */
  private List<Integer> pending(
      AgentState reply, List<ToolCall> asked, Recorded recorded, FinishedCall[] finished) {
    Set<String> answered = new HashSet<>();
    for (Message m : reply.messages()) if (m.toolCallId() != null) answered.add(m.toolCallId());
    int max = services.runtime().limits().maxToolCallsPerReply();
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      ToolCall call = asked.get(i);
      if (answered.contains(call.id())) continue;
      FinishedCall earlier = recorded.results().get(call.id());
      if (earlier != null) finished[i] = earlier;
      else if (i >= max) finished[i] = FinishedCall.notRun(call, tooMany(asked.size(), max));
      else pending.add(i);
    }
    return pending;
  }

  /** Short: a hostile answer may hold thousands of calls, and each gets this as its result. */
  private static String tooMany(int asked, int max) {
    return "Error: not run: this reply has "
        + asked
        + " tool calls, only the first "
        + max
        + " run (MAX_TOOL_CALLS_PER_REPLY)";
  }

  /** Records what the step waits for and parks, having run nothing of the reply. */
  private Outcome park(
      Checkpoint from, List<Interrupt> waiting, AgentState reply, FinishedCall[] finished) {
    for (Interrupt interrupt : waiting)
      checkpoints.write(
          from,
          new PendingWrite(interrupt.toolCallId(), PendingWrite.INTERRUPT, Json.tree(interrupt)));
    return new Outcome.Parked(waiting, usageOf(reply, finished));
  }

  /**
   * Applies the decisions on the pending calls that need approval, recording those given with this
   * run so that each is taken once: a rejected call is answered and not run, an edited one runs
   * with its new arguments (in {@code asRun}). The indexes of the calls to run, in call order.
   */
  private List<Integer> decide(
      Checkpoint from,
      List<Integer> pending,
      List<ToolCall> asRun,
      Recorded recorded,
      FinishedCall[] finished) {
    List<Integer> toRun = new ArrayList<>();
    for (int i : pending) {
      ToolCall call = asRun.get(i);
      if (!approvals.gated(call)) {
        toRun.add(i);
        continue;
      }
      Decision decision = approvals.decision(call, recorded.decisions()).orElseThrow();
      approvals.checkAllowed(call, decision);
      if (!recorded.decisions().containsKey(call.id()))
        checkpoints.write(
            from, new PendingWrite(call.id(), PendingWrite.RESUME, Json.tree(decision)));
      if (decision instanceof Decision.Reject reject) {
        finished[i] = FinishedCall.notRun(call, ApprovalGate.rejection(call, reject));
        continue;
      }
      if (decision instanceof Decision.Edit edit)
        asRun.set(i, new ToolCall(call.id(), call.name(), edit.args().deepCopy()));
      toRun.add(i);
    }
    return toRun;
  }

  private CallBatch batch(Checkpoint from, int size) {
    var limits = services.runtime().limits();
    return new CallBatch(
        calls,
        run.control(),
        services.runtime().tracing(),
        limits.maxParallelToolCalls(),
        size > 1 ? (call, done) -> checkpoints.write(from, resultWrite(call, done)) : null);
  }

  private static PendingWrite resultWrite(ToolCall call, FinishedCall done) {
    return new PendingWrite(call.id(), PendingWrite.RESULT, Json.tree(done));
  }

  private static List<ToolCall> pick(List<ToolCall> calls, List<Integer> indexes) {
    List<ToolCall> picked = new ArrayList<>(indexes.size());
    for (int i : indexes) picked.add(calls.get(i));
    return picked;
  }

  /**
   * The state after the step: the reply with the arguments that ran (when a call was edited), every
   * call's changes in call order (a file changed by several calls keeps the last one's version),
   * then their results in call order.
   */
  private static AgentState merged(
      AgentState reply, List<ToolCall> asked, List<ToolCall> asRun, FinishedCall[] finished) {
    AgentState state = reply;
    if (!asRun.equals(asked)) {
      Message last = reply.lastMessage();
      List<Message> messages = new ArrayList<>(reply.messages());
      messages.set(
          messages.size() - 1,
          new Message(last.role(), last.content(), asRun, last.toolCallId(), last.name()));
      state = state.withMessages(messages);
    }
    List<Message> results = new ArrayList<>(finished.length);
    for (FinishedCall call : finished) {
      if (call == null) continue;
      state = call.applyTo(state);
      results.add(call.message());
    }
    if (results.size() == 1) return state.withMessage(results.get(0));
    List<Message> messages = new ArrayList<>(state.messages().size() + results.size());
    messages.addAll(state.messages());
    messages.addAll(results);
    return state.withMessages(messages);
  }

  private static Usage usageOf(AgentState reply, FinishedCall[] finished) {
    Usage usage = reply.usage();
    for (FinishedCall call : finished) if (call != null) usage = usage.plus(call.usage());
    return usage;
  }

  /** The finished calls and decisions recorded against a step's checkpoint, by tool call id. */
  private record Recorded(Map<String, FinishedCall> results, Map<String, Decision> decisions) {
    static final Recorded NONE = new Recorded(Map.of(), Map.of());

    static Recorded of(List<PendingWrite> writes) {
      if (writes.isEmpty()) return NONE;
      Map<String, FinishedCall> results = new HashMap<>();
      Map<String, Decision> decisions = new HashMap<>();
      for (PendingWrite write : writes) {
        switch (write.channel()) {
          case PendingWrite.RESULT -> results.put(write.taskId(), read(write, FinishedCall.class));
          case PendingWrite.RESUME -> decisions.put(write.taskId(), read(write, Decision.class));
          default -> {} // interrupts are what the step waits for; it asks again
        }
      }
      return new Recorded(results, decisions);
    }

    private static <T> T read(PendingWrite write, Class<T> type) {
      try {
        return Json.MAPPER.treeToValue(write.value(), type);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "pending write " + write.channel() + " of call " + write.taskId() + " is unreadable",
            e);
      }
    }
  }
}
