package dev.agentexecutor.stream.redis;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.StreamedEvent;
import dev.agentexecutor.util.Backoff;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * {@link EventStream} on Redis or Dragonfly: each event is PUBLISHed to {@code
 * {prefix}langgraph:stream:{thread_id}} for live clients and appended to the capped, expiring
 * stream {@code {prefix}langgraph:events:{thread_id}} that followers replay.
 */
public final class RedisEventStream implements EventStream {
  /** The stream entry field holding the event JSON. */
  public static final String EVENT_FIELD = "event";

  /** /ready must answer within a second, PING included. */
  public static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

  /** Reconnect quickly after a restart, without hammering a server that stays down. */
  /** Lettuce's reconnects wait as every other retry of the service does (see {@link Backoff}). */
  private static final Delay RECONNECT_DELAY =
      new Delay() {
        private final Backoff backoff = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(2));

        @Override
        public Duration createDelay(long attempt) {
          return backoff.delay(attempt);
        }
      };

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final RedisKeys keys;
  private final XAddArgs capped;
  private final long ttlSeconds;
  private final LazyConnection shared;
  private final Set<StreamFollower> followers = ConcurrentHashMap.newKeySet();

  /** Per thread, the replies of publishAsync not yet checked. */
  private final Map<String, Pending> unconfirmed = new ConcurrentHashMap<>();

  private static final int MAX_UNCONFIRMED = 3 * 256;
  private static final int EXPIRE_EVERY = 64;

  /** Connects lazily: a Redis that is down now makes calls fail, not the constructor. */
  public RedisEventStream(Settings.Redis settings) {
    resources = DefaultClientResources.builder().reconnectDelay(RECONNECT_DELAY).build();
    uri = RedisURI.create(settings.uri());
    client = RedisClient.create(resources, uri);
    client.setOptions(clientOptions());
    keys = new RedisKeys(settings.keyPrefix());
    capped = XAddArgs.Builder.maxlen(settings.streamMaxLen()).approximateTrimming();
    ttlSeconds = Math.max(1, settings.streamTtl().toSeconds());
    shared = new LazyConnection(() -> client.connect(StringCodec.UTF8));
  }

  private static ClientOptions clientOptions() {
    return ClientOptions.builder()
        .autoReconnect(true)
        // Fail at once while disconnected instead of queueing: callers retry the job later.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
        .build();
  }

  /**
   * XADD (capped), EXPIRE and PUBLISH pipelined on the shared connection: one round trip. Redis
   * runs a connection's commands in order, so events of a thread published one after another keep
   * their order on the channel and in the stream.
   */
  @Override
  public String publish(String threadId, AgentEvent event) {
    String json = event.toJson();
    String stream = keys.stream(threadId);
    RedisAsyncCommands<String, String> commands = shared.get().async();
    RedisFuture<String> added = commands.xadd(stream, capped, EVENT_FIELD, json);
    RedisFuture<Boolean> expiry = commands.expire(stream, ttlSeconds);
    RedisFuture<Long> published = commands.publish(keys.channel(threadId), json);
    String id = RedisCommands.await(added, RedisCommands.COMMAND_TIMEOUT, "XADD");
    RedisCommands.await(expiry, RedisCommands.COMMAND_TIMEOUT, "EXPIRE");
    RedisCommands.await(published, RedisCommands.COMMAND_TIMEOUT, "PUBLISH");
    return id;
  }

  /**
   * The same three commands without waiting for their replies; the futures are kept per thread and
   * checked by {@link #flush}. A thread with many unconfirmed events waits for them first, so
   * memory stays bounded however fast a job streams.
   */
  @Override
  public void publishAsync(String threadId, AgentEvent event) {
    String json = event.toJson();
    String stream = keys.stream(threadId);
    RedisAsyncCommands<String, String> commands = shared.get().async();
    Pending pending = unconfirmed.computeIfAbsent(threadId, id -> new Pending());
    pending.lock.lock(); // held while waiting on Redis: a lock, so a virtual thread is not pinned
    try {
      if (pending.replies.size() >= MAX_UNCONFIRMED) awaitAll(pending.replies);
      pending.replies.add(commands.xadd(stream, capped, EVENT_FIELD, json));
      // The expiry is refreshed on the first event, every EXPIRE_EVERY events and the last one,
      // not on each: a third fewer commands for the same guarantee (a log outlives its run by the
      // TTL).
      if (pending.events++ % EXPIRE_EVERY == 0 || event.isEnd())
        pending.replies.add(commands.expire(stream, ttlSeconds));
      pending.replies.add(commands.publish(keys.channel(threadId), json));
    } finally {
      pending.lock.unlock();
    }
  }

  @Override
  public void flush(String threadId) {
    Pending pending = unconfirmed.remove(threadId);
    if (pending == null) return;
    pending.lock.lock();
    try {
      awaitAll(pending.replies);
    } finally {
      pending.lock.unlock();
    }
  }

  /** A thread's replies not yet checked, and how many events it sent since its last flush. */
  private static final class Pending {
    final ReentrantLock lock = new ReentrantLock();
    final List<RedisFuture<?>> replies = new ArrayList<>();
    long events;
  }

  private static void awaitAll(List<RedisFuture<?>> pending) {
    for (RedisFuture<?> future : pending)
      RedisCommands.await(future, RedisCommands.COMMAND_TIMEOUT, "pipelined event");
    pending.clear();
  }

  @Override
  public Subscription follow(String threadId, String afterId, Consumer<StreamedEvent> listener) {
    var follower =
        new StreamFollower(
            () -> client.connectAsync(StringCodec.UTF8, uri),
            keys.stream(threadId),
            afterId,
            listener);
    followers.add(follower);
    follower.start("redis-stream-follow-" + threadId, () -> followers.remove(follower));
    return follower;
  }

  /** XREVRANGE key + - COUNT 1: the newest entry, one round trip on the shared connection. */
  @Override
  public Optional<StreamedEvent> last(String threadId) {
    List<StreamMessage<String, String>> newest =
        RedisCommands.await(
            shared
                .get()
                .async()
                .xrevrange(keys.stream(threadId), Range.create("-", "+"), Limit.from(1)),
            RedisCommands.COMMAND_TIMEOUT,
            "XREVRANGE");
    if (newest == null || newest.isEmpty()) return Optional.empty();
    StreamMessage<String, String> entry = newest.get(0);
    AgentEvent event = StreamFollower.parse(entry);
    return event == null ? Optional.empty() : Optional.of(new StreamedEvent(entry.getId(), event));
  }

  @Override
  public void delete(String threadId) {
    RedisCommands.await(
        shared.get().async().del(keys.stream(threadId)), RedisCommands.COMMAND_TIMEOUT, "DEL");
  }

  /** True when Redis answers PING within {@link #PING_TIMEOUT}; never throws (for /ready). */
  public boolean ping() {
    try {
      return "PONG".equals(RedisCommands.await(shared.get().async().ping(), PING_TIMEOUT, "PING"));
    } catch (BackendUnavailableException e) {
      return false;
    }
  }

  /** Stops every follow, then closes the connections and Lettuce's threads. */
  @Override
  public void close() {
    followers.forEach(StreamFollower::close);
    shared.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
