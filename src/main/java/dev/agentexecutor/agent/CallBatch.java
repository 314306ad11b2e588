package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.SubagentParkedException;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.observability.Tracing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/**
 * Runs the calls of one reply, each on the state the rule gives it: the state when the reply
 * arrived plus the changes of the inline calls (todos, files) before it in the reply, whatever
 * order calls finish in. Inline calls run in order on the agent's thread; calls that wait (HTTP
 * tools, searches, task) run on virtual threads of their own, at most {@code maxParallel} at once,
 * when there are several of them. Every call runs to its end whatever its siblings do: each call is
 * settled (finished, parked or failed), and a stopped run starts no further call.
 */
final class CallBatch {
  /** How one call ended. */
  sealed interface Settled {
    /**
     * @param given the state the call was given
     * @param after the state it returned, which later inline calls build on
     */
    record Finished(FinishedCall call, AgentState given, AgentState after) implements Settled {}

    /** Its subagent waits for decisions. */
    record Parked(SubagentParkedException parked) implements Settled {}

    /** It stopped the run (or the run stopped before it started). */
    record Failed(RuntimeException failure) implements Settled {}
  }

  private final ToolCallRun calls;
  private final RunControl control;
  private final Tracing tracing;
  private final int maxParallel;
  private final BiConsumer<ToolCall, FinishedCall> recorder;

  /**
   * @param recorder hears each finished call (on the thread that ran it) before the batch ends;
   *     null when the step's checkpoint is record enough
   */
  CallBatch(
      ToolCallRun calls,
      RunControl control,
      Tracing tracing,
      int maxParallel,
      BiConsumer<ToolCall, FinishedCall> recorder) {
    this.calls = calls;
    this.control = control;
    this.tracing = tracing;
    this.maxParallel = maxParallel;
    this.recorder = recorder;
  }

  /** How each of {@code batch} ended, in the same order. */
  List<Settled> run(List<ToolCall> batch, AgentState reply) {
    int waiting = 0;
    for (ToolCall call : batch) if (calls.kindOf(call) != Tool.Execution.INLINE) waiting++;
    boolean parallel = waiting > 1;
    Settled[] settled = new Settled[batch.size()];
    List<CompletableFuture<Void>> branches = parallel ? new ArrayList<>() : List.of();
    Semaphore slots = parallel ? new Semaphore(maxParallel) : null;
    AgentState seen = reply;
    try {
      for (int i = 0; i < batch.size(); i++) {
        ToolCall call = batch.get(i);
        RunStoppedException stop = stopped();
        if (stop != null) {
          settled[i] = new Settled.Failed(stop);
          continue;
        }
        Tool.Execution kind = calls.kindOf(call);
        if (parallel && kind != Tool.Execution.INLINE) {
          acquire(slots);
          int index = i;
          AgentState given = seen;
          branches.add(
              branch(
                  call,
                  () -> {
                    try {
                      settled[index] = settle(call, given);
                    } finally {
                      slots.release();
                    }
                  }));
        } else {
          settled[i] = settle(call, seen);
          if (kind == Tool.Execution.INLINE && settled[i] instanceof Settled.Finished finished)
            seen = finished.after();
        }
      }
    } finally {
      awaitAll(branches);
    }
    return Arrays.asList(settled);
  }

  private Settled settle(ToolCall call, AgentState given) {
    try {
      ToolCallRun.Ran ran = calls.execute(call, given);
      FinishedCall finished = FinishedCall.of(call, ran.result(), given, ran.subagentUsage());
      if (recorder != null) recorder.accept(call, finished);
      return new Settled.Finished(finished, given, ran.result().state());
    } catch (SubagentParkedException parked) {
      return new Settled.Parked(parked);
    } catch (RuntimeException e) {
      return new Settled.Failed(e);
    }
  }

  private RunStoppedException stopped() {
    try {
      control.checkStopped();
      return null;
    } catch (RunStoppedException e) {
      return e;
    }
  }

  /** A call on a virtual thread of its own, with the agent's log and trace context. */
  private CompletableFuture<Void> branch(ToolCall call, Runnable work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Map<String, String> logContext = MDC.getCopyOfContextMap();
    Runnable traced = tracing.carryContext(work);
    Thread.ofVirtual()
        .name("tool-call-" + (call.id().length() <= 40 ? call.id() : call.id().substring(0, 40)))
        .start(
            () -> {
              if (logContext != null) MDC.setContextMap(logContext);
              try {
                traced.run();
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              } finally {
                MDC.clear();
              }
            });
    return done;
  }

  /**
   * Waits for a free slot. Someone wanting this thread back (the service) abandons the run: its
   * calls in progress stop, and no further call starts.
   */
  private void acquire(Semaphore slots) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      control.abandon("the run's thread was interrupted");
      control.checkStopped();
    }
  }

  /**
   * Waits for every branch: a stopped run's branches stop promptly (their model calls are
   * interrupted, their tool calls abandoned), so none is left writing checkpoints behind the run.
   */
  private void awaitAll(List<CompletableFuture<Void>> branches) {
    if (branches.isEmpty()) return;
    CompletableFuture<Void> all =
        CompletableFuture.allOf(branches.toArray(CompletableFuture[]::new));
    boolean interrupted = false;
    while (true) {
      try {
        all.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        control.abandon("the run's thread was interrupted");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) throw error;
        throw new IllegalStateException("a tool call's thread failed", e.getCause());
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
