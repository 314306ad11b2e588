package dev.agentexecutor.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.util.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Streaming: the service in process on Redis; one thread publishes {@code on_llm_stream} events
 * carrying {@code System.nanoTime()} through {@code backends().events()} (XADD + EXPIRE + PUBLISH)
 * at full speed and at a fixed rate, read by a WebSocket client on {@code /stream/{thread_id}}
 * (same JVM, same clock). Baseline: a raw Lettuce PUBLISH to a SUBSCRIBE connection.
 */
final class StreamingBench {
  private static final String TOKEN = "lorem ipsum dolor sit amet "; // a typical few-token chunk

  private final BenchConfig config;

  StreamingBench(BenchConfig config) {
    this.config = config;
  }

  ObjectNode run() throws Exception {
    String prefix = "bench-stream-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    ObjectNode out = Json.object().put("fixed_rate_per_s", config.streamRatePerSecond());
    try (ServiceHarness service =
        ServiceHarness.start(
            Map.of("REDIS_URL", RedisTestKit.SHARED_URI, "STREAM_KEY_PREFIX", prefix))) {
      EventStream events = service.app().backends().events();
      List<ObjectNode> fullRuns = new ArrayList<>();
      List<ObjectNode> rateRuns = new ArrayList<>();
      List<ObjectNode> baselineFull = new ArrayList<>();
      List<ObjectNode> baselineRate = new ArrayList<>();
      RedisClient client = RedisClient.create(RedisTestKit.SHARED_URI);
      try (StatefulRedisConnection<String, String> publisher = client.connect();
          StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
        for (int repeat = 0; repeat < config.repeats(); repeat++) {
          fullRuns.add(viaWebSocket(service, events, config.streamEvents(), 0));
          rateRuns.add(
              viaWebSocket(
                  service, events, config.streamRateEvents(), config.streamRatePerSecond()));
          baselineFull.add(viaRedis(publisher, subscriber, prefix, config.streamEvents(), 0));
          baselineRate.add(
              viaRedis(
                  publisher,
                  subscriber,
                  prefix,
                  config.streamRateEvents(),
                  config.streamRatePerSecond()));
        }
      } finally {
        client.shutdown();
      }
      out.set("full_speed", Stats.medianRun(fullRuns, "delivered_per_s"));
      out.set("fixed_rate", Stats.medianRun(rateRuns, "p50_us"));
      out.set("baseline_full_speed", Stats.medianRun(baselineFull, "delivered_per_s"));
      out.set("baseline_fixed_rate", Stats.medianRun(baselineRate, "p50_us"));
      out.put(
          "ratio_rate",
          Stats.round(
              out.path("baseline_full_speed").path("delivered_per_s").asDouble()
                  / Math.max(0.01, out.path("full_speed").path("delivered_per_s").asDouble())));
      out.put(
          "ratio_p50_fixed_rate",
          Stats.round(
              out.path("fixed_rate").path("p50_us").asDouble()
                  / Math.max(0.01, out.path("baseline_fixed_rate").path("p50_us").asDouble())));
    } finally {
      BenchEnvironment.deleteRedisKeys(prefix);
    }
    return out;
  }

  /**
   * {@code count} events through the service's event stream to a WebSocket; rate 0 = full speed.
   */
  private static ObjectNode viaWebSocket(
      ServiceHarness service, EventStream events, int count, int rate) throws Exception {
    String threadId = "stream-" + UUID.randomUUID();
    Arrivals arrivals = new Arrivals(count + 1);
    // A thread is streamable once it has events (an unknown one is refused with 404); the follower
    // is live once this first event arrives through it.
    events.publish(threadId, event(System.nanoTime(), -1));
    ServiceHarness.WebSocketRecording socket =
        service.webSocket("/stream/" + threadId, frame -> arrivals.record(sentAt(frame)));
    arrivals.awaitCount(1, Duration.ofSeconds(10));
    arrivals.reset();
    long publishNanos = publish(count, rate, (sent, i) -> events.publish(threadId, event(sent, i)));
    arrivals.awaitCount(count, Duration.ofSeconds(120));
    events.publish(threadId, AgentEvent.end());
    socket.awaitClose(Duration.ofSeconds(30));
    events.delete(threadId);
    return arrivals.toJson(count, publishNanos);
  }

  /** The baseline: the same payloads PUBLISHed with Lettuce to a SUBSCRIBE connection. */
  private static ObjectNode viaRedis(
      StatefulRedisConnection<String, String> publisher,
      StatefulRedisPubSubConnection<String, String> subscriber,
      String prefix,
      int count,
      int rate)
      throws Exception {
    String channel = prefix + "baseline-" + UUID.randomUUID();
    Arrivals arrivals = new Arrivals(count);
    RedisPubSubAdapter<String, String> listener =
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String from, String message) {
            arrivals.record(sentAt(message));
          }
        };
    subscriber.addListener(listener);
    subscriber.sync().subscribe(channel);
    long publishNanos =
        publish(
            count, rate, (sent, i) -> publisher.sync().publish(channel, event(sent, i).toJson()));
    arrivals.awaitCount(count, Duration.ofSeconds(120));
    subscriber.sync().unsubscribe(channel);
    subscriber.removeListener(listener);
    return arrivals.toJson(count, publishNanos);
  }

  private interface Publish {
    void send(long sentNanos, int index);
  }

  /**
   * Publishes {@code count} events, paced at {@code rate} per second (0: back to back); returns the
   * time taken.
   */
  private static long publish(int count, int rate, Publish publish) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (rate > 0) {
        long due = start + (long) i * 1_000_000_000L / rate;
        for (long now = System.nanoTime(); now < due; now = System.nanoTime())
          LockSupport.parkNanos(due - now);
      }
      publish.send(System.nanoTime(), i);
    }
    return System.nanoTime() - start;
  }

  private static AgentEvent event(long sentNanos, int index) {
    return new AgentEvent(
        AgentEvent.LLM_STREAM,
        Json.object()
            .put("token", TOKEN)
            .put("node", "bench")
            .put("i", index)
            .put("sent_ns", sentNanos));
  }

  static long sentAt(CharSequence json) {
    String text = json.toString();
    int at = text.indexOf("\"sent_ns\":");
    if (at < 0) return -1;
    int end = at + 10;
    while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
    return Long.parseLong(text.substring(at + 10, end));
  }

  /** Delivery delays of received events, from their embedded send time to arrival. */
  private static final class Arrivals {
    private final long[] delays;
    private int count;
    private long first;
    private long last;

    Arrivals(int capacity) {
      delays = new long[capacity];
    }

    synchronized void record(long sentNanos) {
      if (sentNanos < 0) return;
      long now = System.nanoTime();
      if (count == 0) first = sentNanos;
      last = now;
      if (count < delays.length) delays[count++] = now - sentNanos;
      notifyAll();
    }

    synchronized void reset() {
      count = 0;
    }

    synchronized void awaitCount(int expected, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (count < expected) {
        long left = deadline - System.nanoTime();
        if (left <= 0)
          throw new IllegalStateException(
              "received " + count + " of " + expected + " events in " + timeout);
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized ObjectNode toJson(int sent, long publishNanos) {
      ObjectNode json = new Stats(delays, count, 0).toJson();
      json.put("sent", sent);
      json.put("published_per_s", Stats.round(sent / (publishNanos / 1e9)));
      json.put("delivered_per_s", Stats.round(count / Math.max(1e-9, (last - first) / 1e9)));
      return json;
    }
  }
}
