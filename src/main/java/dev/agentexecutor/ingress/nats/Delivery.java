package dev.agentexecutor.ingress.nats;

import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of a JetStream message, settled at most once: after an ack, nak or term the others
 * do nothing, so a drain that naks a job that is still running cannot be contradicted by the job's
 * own settlement later. Client errors are logged, never thrown: the server redelivers an unsettled
 * message after the ack wait anyway.
 */
final class Delivery {
  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  private final Message message;
  private final AtomicBoolean settled = new AtomicBoolean();

  Delivery(Message message) {
    this.message = message;
  }

  Message message() {
    return message;
  }

  long deliveredCount() {
    return message.metaData().deliveredCount();
  }

  void ack() {
    settle("ack", message::ack);
  }

  void term() {
    settle("term", message::term);
  }

  void nak() {
    settle("nak", message::nak);
  }

  void nakWithDelay(Duration delay) {
    settle("nak", () -> message.nakWithDelay(delay));
  }

  /** Resets the server's ack-wait timer while the job runs. */
  void inProgress() {
    if (!settled.get()) send("in-progress", message::inProgress);
  }

  private void settle(String what, Runnable action) {
    if (settled.compareAndSet(false, true)) send(what, action);
  }

  private void send(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("{} of {} failed: {}", what, message.getSubject(), e.toString());
    }
  }
}
