package dev.agentexecutor.ingress.http;

import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.StreamedEvent;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events response, written by the request's own (virtual) thread until the run's
 * {@code end}: events come from the follower through a small queue, and a comment goes out whenever
 * none came for a heartbeat, so a client that left is noticed by a failed write and its follower
 * (and Redis connection) released within about two heartbeats.
 */
final class ServerSentEvents {
  private static final Logger log = LoggerFactory.getLogger(ServerSentEvents.class);

  /** Events buffered for a slow client; beyond it the follower waits (it reads no further). */
  private static final int BUFFERED_EVENTS = 256;

  private static final long OFFER_WAIT_MS = 100;

  private ServerSentEvents() {}

  /**
   * Serves the thread's events after {@code afterId}; returns when {@code end} was sent or the
   * client left.
   */
  static void relay(
      HttpServletResponse response,
      EventStream events,
      String threadId,
      String afterId,
      Duration heartbeat)
      throws IOException {
    response.setStatus(200);
    response.setCharacterEncoding("UTF-8");
    response.setContentType("text/event-stream");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no"); // proxies must not buffer the stream
    ServletOutputStream out = response.getOutputStream();
    BlockingQueue<StreamedEvent> queue = new ArrayBlockingQueue<>(BUFFERED_EVENTS);
    AtomicBoolean done = new AtomicBoolean();
    EventStream.Subscription follow =
        events.follow(threadId, afterId, event -> enqueue(queue, event, done));
    try {
      write(out, ": following " + threadId + "\n\n"); // commits the headers at once
      pump(out, queue, heartbeat);
    } catch (IOException e) {
      log.debug("SSE client of {} left: {}", threadId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.set(true);
      follow.close();
    }
  }

  /**
   * Writes events as they come and a comment after each quiet heartbeat, until the {@code end} of
   * the thread's newest run.
   */
  private static void pump(
      ServletOutputStream out, BlockingQueue<StreamedEvent> queue, Duration heartbeat)
      throws IOException, InterruptedException {
    while (true) {
      StreamedEvent event = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        write(out, ": keep-alive\n\n");
        continue;
      }
      do { // what else is queued goes out in the same flush
        out.write(format(event));
        if (event.last()) {
          out.flush();
          return;
        }
      } while ((event = queue.poll()) != null);
      out.flush();
    }
  }

  /** {@code id}, {@code event: message} and one {@code data} line per line of the JSON. */
  static byte[] format(StreamedEvent event) {
    StringBuilder text = new StringBuilder();
    if (event.id() != null) text.append("id: ").append(event.id()).append('\n');
    text.append("event: message\n");
    event.event().toJson().lines().forEach(line -> text.append("data: ").append(line).append('\n'));
    return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(ServletOutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Called on the follower's thread: waits for room while the client is still there. */
  private static void enqueue(
      BlockingQueue<StreamedEvent> queue, StreamedEvent event, AtomicBoolean done) {
    try {
      while (!done.get()) {
        if (queue.offer(event, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the follow was closed
    }
  }
}
