package dev.agentexecutor.stream.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.util.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What Redis clients outside this service see: the channel, the stream entries, expiry, cap. */
@Tag("integration")
class RedisEventStreamTest {
  private final Settings.Redis settings =
      new Settings.Redis(
          RedisTestKit.SHARED_URI, RedisTestKit.uniquePrefix(), 100, Duration.ofSeconds(120));
  private final String thread = "job-" + UUID.randomUUID();
  private RedisEventStream stream;
  private RedisClient client;
  private StatefulRedisConnection<String, String> redis;

  @BeforeEach
  void open() {
    stream = new RedisEventStream(settings);
    client = RedisClient.create(RedisTestKit.SHARED_URI);
    redis = client.connect();
  }

  @AfterEach
  void close() {
    stream.delete(thread);
    stream.close();
    redis.close();
    client.shutdown();
  }

  private String streamKey() {
    return settings.keyPrefix() + "langgraph:events:" + thread;
  }

  @Test
  void channelCarriesExactlyTheEventJsonInOrder() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
    subscriber.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            received.add(message);
          }
        });
    subscriber.sync().subscribe(settings.keyPrefix() + "langgraph:stream:" + thread);
    var first = new AgentEvent(AgentEvent.LLM_STREAM, Json.object().put("token", "héllo"));
    stream.publish(thread, first);
    stream.publish(thread, AgentEvent.end());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (received.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
    subscriber.close();
    assertThat(received)
        .containsExactly(
            "{\"event_type\":\"on_llm_stream\",\"data\":{\"token\":\"héllo\"}}",
            "{\"event_type\":\"end\",\"data\":{}}");
  }

  @Test
  void streamEntryHoldsTheSameJsonAndExpires() {
    var event = new AgentEvent(AgentEvent.TOOL_START, Json.object().put("tool", "write_todos"));
    String id = stream.publish(thread, event);
    var entries = redis.sync().xrange(streamKey(), io.lettuce.core.Range.create("-", "+"));
    assertThat(entries)
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.getId()).isEqualTo(id);
              assertThat(entry.getBody())
                  .containsExactlyEntriesOf(java.util.Map.of("event", event.toJson()));
            });
    assertThat(redis.sync().ttl(streamKey())).isBetween(1L, 120L);
  }

  @Test
  void pipelinedEventsKeepTheOrderAndTheStreamExpires() {
    for (int n = 0; n < 90; n++)
      stream.publishAsync(thread, new AgentEvent(AgentEvent.LLM_STREAM, Json.object().put("n", n)));
    stream.publishAsync(thread, AgentEvent.end());
    stream.flush(thread);

    var entries = redis.sync().xrange(streamKey(), io.lettuce.core.Range.create("-", "+"));
    assertThat(entries).hasSize(91); // under the test's MAXLEN of 100
    assertThat(entries.get(70).getBody().get("event")).contains("\"n\":70");
    assertThat(redis.sync().ttl(streamKey())).isBetween(1L, 120L);
  }

  @Test
  void streamIsCappedApproximately() {
    for (int n = 0; n < 1_000; n++) stream.publish(thread, AgentEvent.end());
    // MAXLEN ~ trims whole nodes (100 entries by default), so a little above the cap is normal.
    assertThat(redis.sync().xlen(streamKey())).isBetween(100L, 300L);
  }

  @Test
  void publishCostsWellUnderAMillisecond() {
    // Without a logback configuration everything logs at DEBUG, which alone costs ~400 µs here.
    var root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    var event =
        new AgentEvent(AgentEvent.LLM_STREAM, Json.object().put("token", "some token text"));
    for (int n = 0; n < 500; n++) stream.publish(thread, event); // warm-up
    int count = 3_000;
    long start = System.nanoTime();
    for (int n = 0; n < count; n++) stream.publish(thread, event);
    double micros = (System.nanoTime() - start) / 1_000.0 / count;
    System.out.printf("RedisEventStream.publish: %.0f µs per event%n", micros);
    assertThat(micros).isLessThan(2_000);
  }

  @Test
  void pingAnswersTrueWhenRedisIsUp() {
    assertThat(stream.ping()).isTrue();
  }
}
