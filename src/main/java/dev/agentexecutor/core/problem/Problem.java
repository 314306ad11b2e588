package dev.agentexecutor.core.problem;

/**
 * One thing wrong with a caller's input: a stable code (one of {@link ProblemCode}, listed in
 * docs/problem-codes.md), the JSON path of the field ("$" for the whole body) and a sentence saying
 * why.
 */
public record Problem(String code, String path, String message) {
  public Problem(ProblemCode code, String path, String message) {
    this(code.name(), path, message);
  }

  @Override
  public String toString() {
    return path + ": " + message + " [" + code + "]";
  }
}
