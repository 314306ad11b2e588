package dev.agentexecutor.ingress.http;

import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.StreamedEvent;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket followers: each session relays its thread's events as text frames and is pinged
 * every heartbeat; a session that closes, errs or fails a send or a ping has its follower (and
 * Redis connection) and its follower slot released at once, exactly once.
 */
final class WebSocketStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebSocketStreams.class);
  private static final int TRY_AGAIN_LATER = 1013;

  private final EventStream events;
  private final Semaphore slots;
  private final Duration heartbeat;
  private final ScheduledExecutorService pings =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("websocket-heartbeat").daemon().factory());
  private final Map<Session, Follow> follows = new ConcurrentHashMap<>();

  /** A session's follower, its ping schedule and the slot it holds. */
  private record Follow(EventStream.Subscription subscription, ScheduledFuture<?> pinging) {}

  WebSocketStreams(EventStream events, Semaphore slots, Duration heartbeat) {
    this.events = events;
    this.slots = slots;
    this.heartbeat = heartbeat;
  }

  /** Follows the thread from its first event; {@code ended}: nothing will ever come, close now. */
  void open(WsContext ctx, String threadId, boolean ended) {
    if (ended) {
      ctx.closeSession(1000, "end");
      return;
    }
    if (!slots.tryAcquire()) { // checked before the upgrade too; this is the race's loser
      ctx.closeSession(TRY_AGAIN_LATER, "too many stream followers");
      return;
    }
    Session session = ctx.session;
    ScheduledFuture<?> pinging =
        pings.scheduleAtFixedRate(
            () -> ping(session), heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    // Registered before following starts, so that an end delivered at once finds it to release.
    Follow follow = new Follow(new Deferred(), pinging);
    follows.put(session, follow);
    ((Deferred) follow.subscription())
        .set(events.follow(threadId, null, event -> relay(ctx, event)));
  }

  private void relay(WsContext ctx, StreamedEvent event) {
    try {
      ctx.send(event.event().toJson());
      if (event.last()) ctx.closeSession(1000, "end");
    } catch (Exception e) { // Jetty's IOException arrives unchecked through Javalin's Kotlin API
      log.debug("WebSocket client left: {}", e.toString());
      left(ctx.session);
    }
  }

  private void ping(Session session) {
    if (!session.isOpen()) {
      closed(session);
      return;
    }
    session
        .getRemote()
        .sendPing(
            ByteBuffer.allocate(0),
            new WriteCallback() {
              @Override
              public void writeFailed(Throwable failure) {
                log.debug("WebSocket ping failed: {}", failure.toString());
                left(session);
              }
            });
  }

  private void left(Session session) {
    closed(session);
    session.disconnect();
  }

  /** The session ended (closed, erred or left): stop its follower and free its slot, once. */
  void closed(Session session) {
    Follow follow = follows.remove(session);
    if (follow == null) return;
    follow.pinging().cancel(false);
    follow.subscription().close();
    slots.release();
  }

  @Override
  public void close() {
    follows.keySet().forEach(this::closed);
    pings.shutdownNow();
  }

  /**
   * A subscription known only once following started; closing it before then closes it on arrival.
   */
  private static final class Deferred implements EventStream.Subscription {
    private EventStream.Subscription target;
    private boolean closed;

    synchronized void set(EventStream.Subscription subscription) {
      if (closed) subscription.close();
      else target = subscription;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (target != null) target.close();
    }
  }
}
