package dev.agentexecutor.agent;

import static dev.agentexecutor.agent.AgentTestKit.control;
import static dev.agentexecutor.agent.AgentTestKit.limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.model.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where tool calls run and how they are bounded (issue 9.2): threads, time limit, cancel, run
 * deadline.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ToolExecutionTest {
  private static final AgentState STATE = AgentState.initial(List.of(), Map.of(), Map.of());

  /**
   * A tool of the given kind that spins (burning CPU) until it is interrupted, reporting where it
   * ran.
   */
  private static class Spinner implements Tool {
    final Execution execution;
    final CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    final CountDownLatch interrupted = new CountDownLatch(1);
    final long spinMillis;

    Spinner(Execution execution, long spinMillis) {
      this.execution = execution;
      this.spinMillis = spinMillis;
    }

    @Override
    public ToolSpec spec() {
      return new ToolSpec(
          "spin", "spins", dev.agentexecutor.util.Json.object().put("type", "object"));
    }

    @Override
    public Execution execution() {
      return execution;
    }

    @Override
    public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
      ranOn.complete(Thread.currentThread());
      long until = System.nanoTime() + spinMillis * 1_000_000;
      while (System.nanoTime() < until) {
        if (Thread.currentThread().isInterrupted()) {
          interrupted.countDown();
          throw new ToolException("stopped");
        }
      }
      return ToolResult.ok("spun", state);
    }
  }

  private static ToolResult run(ToolExecution execution, Spinner tool, RunControl control) {
    return execution.run(tool, () -> tool.call(null, STATE, null), control, STATE);
  }

  @Test
  void runsEachKindOfToolOnItsKindOfThread() throws Exception {
    ToolExecution execution = new ToolExecution(Duration.ofSeconds(10));
    Spinner inline = new Spinner(Tool.Execution.INLINE, 0);
    Spinner cpu = new Spinner(Tool.Execution.CPU_BOUND, 0);
    Spinner io = new Spinner(Tool.Execution.IO_BOUND, 0);

    assertThat(run(execution, inline, control()).output()).isEqualTo("spun");
    assertThat(run(execution, cpu, control()).output()).isEqualTo("spun");
    assertThat(run(execution, io, control()).output()).isEqualTo("spun");

    assertThat(inline.ranOn.get()).isSameAs(Thread.currentThread());
    assertThat(cpu.ranOn.get().isVirtual()).as("CPU-bound calls run on platform threads").isFalse();
    assertThat(cpu.ranOn.get().getName()).startsWith("tool-cpu-");
    assertThat(io.ranOn.get().isVirtual()).isTrue();
  }

  @Test
  void aCallOverTheTimeLimitIsInterruptedAndBecomesAToolError() throws Exception {
    Spinner endless = new Spinner(Tool.Execution.CPU_BOUND, 60_000);
    long started = System.nanoTime();

    ToolResult result = run(new ToolExecution(Duration.ofMillis(300)), endless, control());

    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(250L, 3000L);
    assertThat(result.error()).isTrue();
    assertThat(result.output())
        .isEqualTo(
            "Error: spin did not finish within 300 ms (TOOL_CALL_TIMEOUT_SECONDS) and was stopped. Try a narrower call.");
    assertThat(endless.interrupted.await(5, TimeUnit.SECONDS))
        .as("the abandoned call was interrupted")
        .isTrue();
  }

  @Test
  void cancellingTheRunStopsACallInProgress() throws Exception {
    Spinner endless = new Spinner(Tool.Execution.CPU_BOUND, 60_000);
    RunControl control = control();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                endless.ranOn.get();
                Thread.sleep(100);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              control.cancel("cancelled by the test");
            });
    long started = System.nanoTime();

    assertThatThrownBy(() -> run(new ToolExecution(Duration.ofMinutes(5)), endless, control))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.CANCELLED));
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3000);
    assertThat(endless.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theRunsDeadlineStopsACallInProgress() throws Exception {
    Spinner endless = new Spinner(Tool.Execution.IO_BOUND, 60_000);
    RunControl control = control(limits(50, Duration.ofMillis(400), null), Clock.systemUTC());

    assertThatThrownBy(() -> run(new ToolExecution(Duration.ofMinutes(5)), endless, control))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.TIMEOUT));
    assertThat(endless.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aToolsOwnFailurePassesThroughUnchanged() {
    Tool failing =
        new Spinner(Tool.Execution.CPU_BOUND, 0) {
          @Override
          public ToolResult call(ObjectNode args, AgentState state, ToolCallContext context) {
            throw new ToolException("bad arguments");
          }
        };

    assertThatThrownBy(
            () ->
                new ToolExecution(Duration.ofSeconds(5))
                    .run(failing, () -> failing.call(null, STATE, null), control(), STATE))
        .isInstanceOf(ToolException.class)
        .hasMessage("bad arguments");
  }
}
