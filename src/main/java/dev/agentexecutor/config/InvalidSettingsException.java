package dev.agentexecutor.config;

import java.util.List;

/** One or more environment variables have unusable values; the message lists every one. */
public class InvalidSettingsException extends RuntimeException {
  private final List<String> problems;

  public InvalidSettingsException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
