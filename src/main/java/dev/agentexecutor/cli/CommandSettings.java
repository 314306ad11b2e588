package dev.agentexecutor.cli;

import dev.agentexecutor.config.InvalidSettingsException;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.observability.Logging;
import dev.agentexecutor.observability.Redactor;
import java.util.Optional;

/**
 * Loads the settings for a command and sets up its logging; a bad configuration is printed, not
 * thrown.
 */
final class CommandSettings {
  /** Exit code of every command for a bad configuration. */
  static final int BAD_CONFIGURATION = 2;

  private CommandSettings() {}

  /**
   * The settings from the environment, with logging configured: the service logs at LOG_LEVEL to
   * stdout; one-shot commands log warnings to stderr, keeping stdout for their own output.
   */
  static Optional<Settings> load(boolean service) {
    try {
      Settings settings = Settings.fromEnvironment();
      Redactor redactor = new Redactor(settings.secretValues());
      if (service) Logging.configure(settings.logLevel(), settings.logFormat(), false, redactor);
      else Logging.configure("WARN", settings.logFormat(), true, redactor);
      return Optional.of(settings);
    } catch (InvalidSettingsException e) {
      System.err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
