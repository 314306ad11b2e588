package dev.agentexecutor.stream.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventCollector;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import dev.agentexecutor.testkit.RedisTestKit;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back, on a private redis-server that the test kills. */
@Tag("integration")
class RedisOutageTest {
  private static final Duration RECOVERY = Duration.ofSeconds(10);
  private RedisOrNatsServer server;
  private RedisEventStream stream;

  @BeforeEach
  void startServer() {
    server = RedisOrNatsServer.redis();
    stream = new RedisEventStream(RedisTestKit.settings(server.redisUri()));
  }

  @AfterEach
  void stopServer() {
    stream.close();
    server.close();
  }

  @Test
  void sameInstanceWorksAgainAfterRedisRestarts() throws Exception {
    stream.publish("t1", AgentEvent.end());
    assertThat(stream.ping()).isTrue();

    server.stop();
    long start = System.nanoTime();
    assertThat(stream.ping()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(RedisEventStream.PING_TIMEOUT.plusMillis(500));
    assertThatThrownBy(() -> stream.publish("t1", AgentEvent.end()))
        .isInstanceOfSatisfying(
            BackendUnavailableException.class, e -> assertThat(e.backend()).isEqualTo("redis"));

    server.start();
    awaitTrue(stream::ping);
    assertThat(stream.publish("t2", AgentEvent.end())).isNotBlank();
  }

  @Test
  void pipelinedEventsAreConfirmedByFlushAndAnOutageSurfacesAsBackendUnavailable()
      throws Exception {
    for (int i = 0; i < 1000; i++)
      stream.publishAsync("t3", new AgentEvent("on_llm_stream", Json.object().put("n", i)));
    stream.publishAsync("t3", AgentEvent.end());
    stream.flush("t3");
    EventCollector collected = new EventCollector();
    try (var follow = stream.follow("t3", null, collected)) {
      collected.awaitEnd(RECOVERY);
    }
    assertThat(collected.events()).hasSize(1001);
    assertThat(collected.events().get(999).event().data().path("n").asInt()).isEqualTo(999);

    server.stop();
    assertThatThrownBy(
            () -> {
              stream.publishAsync("t4", AgentEvent.end());
              stream.flush("t4");
            })
        .isInstanceOfSatisfying(
            BackendUnavailableException.class, e -> assertThat(e.backend()).isEqualTo("redis"));
  }

  @Test
  void redisDownAtStartUpIsNotFatalAndIsUsedOnceItIsUp() throws Exception {
    stream.close();
    server.stop();
    stream = new RedisEventStream(RedisTestKit.settings(server.redisUri()));
    assertThat(stream.ping()).isFalse();

    server.start();
    awaitTrue(stream::ping);
    assertThat(stream.publish("t1", AgentEvent.end())).isNotBlank();
  }

  @Test
  void followerResumesAfterRestartWithoutDuplicates() throws Exception {
    var collector = new EventCollector();
    try (var sub = stream.follow("t1", null, collector)) {
      stream.publish("t1", numbered(1));
      awaitTrue(() -> collector.size() == 1);

      server.stop();
      server.start(); // no persistence: the stream is gone, new ids are later than the old ones
      awaitTrue(stream::ping);
      stream.publish("t1", numbered(2));
      stream.publish("t1", AgentEvent.end());

      collector.awaitEnd(RECOVERY);
      assertThat(collector.numbers()).containsExactly(1, 2, -1);
    }
  }

  private static AgentEvent numbered(int n) {
    return new AgentEvent(AgentEvent.STATE_UPDATE, Json.object().put("n", n));
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", RECOVERY).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
