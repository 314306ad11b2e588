package dev.agentexecutor.agent.tools;

/**
 * A tool call that failed in a way the model should see and can correct (bad arguments, no such
 * file).
 */
public class ToolException extends RuntimeException {
  public ToolException(String message) {
    super(message);
  }
}
