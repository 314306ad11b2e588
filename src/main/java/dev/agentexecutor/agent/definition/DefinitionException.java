package dev.agentexecutor.agent.definition;

import dev.agentexecutor.core.problem.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** An agent definition with problems; carries all of them. */
public class DefinitionException extends RuntimeException {
  private final List<Problem> problems;

  public DefinitionException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
