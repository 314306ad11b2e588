package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.Usage;
import java.util.List;

/**
 * A subagent stopped to wait for decisions on its interrupts: its task call does not finish, and
 * the run parks once the call's siblings have. Tools let it through, as they do a stopped run.
 */
public final class SubagentParkedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Interrupt> interrupts;
  private final transient Usage usage;

  public SubagentParkedException(List<Interrupt> interrupts, Usage usage) {
    super("the subagent waits for " + interrupts.size() + " decision(s)", null, false, false);
    this.interrupts = List.copyOf(interrupts);
    this.usage = usage;
  }

  public List<Interrupt> interrupts() {
    return interrupts;
  }

  /** The tokens the subagent used so far (not yet in its caller's state). */
  public Usage usage() {
    return usage;
  }
}
