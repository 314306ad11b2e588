package dev.agentexecutor.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/** Applies LOG_LEVEL and LOG_FORMAT to the logback configuration of logback.xml. */
public final class Logging {
  private Logging() {}

  /**
   * @param level root level name
   * @param format "json" (the default encoder) or "text"
   * @param toStderr write logs to stderr (the command line keeps stdout for its own output)
   */
  public static void configure(String level, String format, boolean toStderr) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    if (!"text".equals(format) && !toStderr) return;
    ConsoleAppender<ILoggingEvent> previous = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDOUT");
    if (toStderr) appender.setTarget("System.err");
    if ("text".equals(format)) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%X{job_id:--}] %logger{20} - %msg%n");
      encoder.start();
      appender.setEncoder(encoder);
    } else if (previous != null) {
      appender.setEncoder(previous.getEncoder());
    }
    appender.start();
    root.detachAppender("STDOUT");
    root.addAppender(appender);
  }
}
