package dev.agentexecutor.core.problem;

/**
 * One thing wrong with a caller's input: a stable code (greppable, documented in the README), the
 * JSON path of the field ("$" for the whole body) and a sentence saying why.
 */
public record Problem(String code, String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message + " [" + code + "]";
  }
}
