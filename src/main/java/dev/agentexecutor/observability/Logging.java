package dev.agentexecutor.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
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
    configure(level, format, toStderr, new Redactor(java.util.List.of()));
  }

  /**
   * As {@link #configure(String, String, boolean)}, with every string a log line carries (message,
   * arguments, stack trace, MDC) passed through {@code redactor}: one redaction for all logs, so
   * that a secret reaching a log call by any path (a URL, an exception message) never leaves.
   */
  public static void configure(String level, String format, boolean toStderr, Redactor redactor) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("STDOUT");
    if (toStderr) appender.setTarget("System.err");
    if ("text".equals(format)) {
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%X{job_id:--}] %logger{20} - %msg%n");
      encoder.start();
      appender.setEncoder(new RedactingEncoder(encoder, redactor));
    } else {
      LogstashEncoder encoder = new LogstashEncoder(); // the field names of logback.xml
      encoder.setContext(context);
      encoder.getFieldNames().setTimestamp("timestamp");
      encoder.getFieldNames().setVersion("[ignore]");
      encoder.getFieldNames().setLevelValue("[ignore]");
      MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
      masking.addValueMasker(
          (where, value) ->
              value instanceof CharSequence text ? redactor.redact(text.toString()) : null);
      masking.start();
      encoder.setJsonGeneratorDecorator(masking);
      encoder.start();
      appender.setEncoder(encoder);
    }
    appender.start();
    root.detachAppender("STDOUT");
    root.addAppender(appender);
  }
}
