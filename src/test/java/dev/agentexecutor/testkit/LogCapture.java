package dev.agentexecutor.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every log event of the process while open (on the root logger), so that a test can assert
 * what was and was not logged: no ERROR for bad input, a WARN at start-up, no secret.
 */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;

  private LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    appender.setContext(context);
    appender.setName("capture-" + System.identityHashCode(this));
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public List<ILoggingEvent> events() {
    synchronized (appender) { // AppenderBase appends under the appender's own lock
      return List.copyOf(appender.list);
    }
  }

  /** Events at {@code level} or above. */
  public List<ILoggingEvent> atLeast(Level level) {
    return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
  }

  /** Every event as one text: level, logger, formatted message and any stack trace. */
  public String text() {
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent event : events()) {
      all.append(event.getLevel())
          .append(' ')
          .append(event.getLoggerName())
          .append(" - ")
          .append(event.getFormattedMessage())
          .append('\n');
      if (event.getThrowableProxy() != null) {
        all.append(
                ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(event.getThrowableProxy()))
            .append('\n');
      }
    }
    return all.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
