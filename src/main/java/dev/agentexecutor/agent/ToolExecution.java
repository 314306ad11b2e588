package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.core.state.AgentState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Runs a tool call where its kind of work belongs ({@link Tool.Execution}). CPU-bound calls run on
 * a small pool of platform threads, which the OS schedules preemptively, so they can never hold the
 * few carrier threads that run the service's virtual threads (HTTP handlers, other jobs); I/O-bound
 * calls run on a virtual thread of their own. The agent waits for either at most
 * TOOL_CALL_TIMEOUT_SECONDS, and no longer than its run may last or until it is cancelled; then the
 * call is interrupted and abandoned (tools are functions of the state: a late result is dropped).
 */
final class ToolExecution {
  private static final ExecutorService CPU_POOL =
      Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()),
          Thread.ofPlatform().name("tool-cpu-", 0).daemon().factory());
  private static final ExecutorService IO_THREADS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tool-io-", 0).factory());

  /** How long an agent's thread runs inline tool calls before it lets other virtual threads run. */
  private static final long TIME_SLICE_NANOS = Duration.ofMillis(10).toNanos();

  private final Duration timeout;

  /** When the agent's thread last yielded; parallel calls share it, so it is only a hint. */
  private volatile long sliceStart = System.nanoTime();

  ToolExecution(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The call's result; throws RunStoppedException when the run is cancelled or out of time
   * meanwhile.
   */
  ToolResult run(Tool tool, Supplier<ToolResult> call, RunControl control, AgentState state) {
    return switch (tool.execution()) {
      case INLINE -> inline(call);
      case SUBAGENT -> call.get(); // its own loop checks the run's limits at every step
      case CPU_BOUND -> bounded(CPU_POOL, tool, call, control, state);
      case IO_BOUND -> bounded(IO_THREADS, tool, call, control, state);
    };
  }

  /**
   * Inline calls are short, but a model may ask for thousands in one answer: a virtual thread
   * yields every {@value #TIME_SLICE_NANOS} ns of them so that it never keeps its carrier for long.
   */
  private ToolResult inline(Supplier<ToolResult> call) {
    try {
      return call.get();
    } finally {
      if (Thread.currentThread().isVirtual() && System.nanoTime() - sliceStart > TIME_SLICE_NANOS) {
        Thread.yield();
        sliceStart = System.nanoTime();
      }
    }
  }

  private ToolResult bounded(
      ExecutorService threads,
      Tool tool,
      Supplier<ToolResult> call,
      RunControl control,
      AgentState state) {
    CompletableFuture<ToolResult> result = new CompletableFuture<>();
    Map<String, String> logContext = MDC.getCopyOfContextMap();
    Future<?> task =
        threads.submit(
            () -> {
              if (logContext != null) MDC.setContextMap(logContext);
              try {
                result.complete(call.get());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              } finally {
                MDC.clear();
              }
            });
    Duration runLeft = control.timeLeft();
    boolean runEndsFirst = runLeft.compareTo(timeout) < 0;
    long waitNanos = Math.max(0, (runEndsFirst ? runLeft : timeout).toNanos());
    try {
      CompletableFuture.anyOf(result, control.stopped()).get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // decided below: a finished call wins, else the call is abandoned
    } catch (InterruptedException e) {
      // Someone wants this thread back: the service, not the run's caller. The run is abandoned
      // (resumed later from its checkpoints) rather than finished as cancelled.
      task.cancel(true);
      Thread.currentThread().interrupt();
      control.abandon("the run's thread was interrupted");
      control.checkStopped();
    }
    if (result.isDone()) return outcome(result);
    task.cancel(true);
    control.checkStopped();
    if (runEndsFirst) throw control.timedOut();
    return ToolResult.error(
        "Error: "
            + tool.name()
            + " did not finish within "
            + describe(timeout)
            + " (TOOL_CALL_TIMEOUT_SECONDS) and was stopped. Try a narrower call.",
        state);
  }

  private static ToolResult outcome(CompletableFuture<ToolResult> result) {
    try {
      return result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) throw runtime;
      if (cause instanceof Error error) throw error;
      throw e;
    }
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
