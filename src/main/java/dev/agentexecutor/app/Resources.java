package dev.agentexecutor.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service opened, closed in reverse order of opening (a client before the pool it uses); a
 * failure to close one is logged and does not keep the others open.
 */
final class Resources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Resources.class);

  private record Opened(String name, AutoCloseable resource) {}

  private final Deque<Opened> opened = new ArrayDeque<>();

  /** Registers {@code resource} as opened now; it is closed before everything opened earlier. */
  synchronized <T extends AutoCloseable> T add(String name, T resource) {
    opened.push(new Opened(name, resource));
    return resource;
  }

  @Override
  public void close() {
    List<Opened> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(opened);
      opened.clear();
    }
    for (Opened each : toClose) {
      try {
        log.debug("closing {}", each.name());
        each.resource().close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", each.name(), e.toString());
      }
    }
  }
}
