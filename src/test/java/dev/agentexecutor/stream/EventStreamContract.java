package dev.agentexecutor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStream} promises, run against each adapter: order, late join, no gap or
 * duplicate between history and live events, resumption after an id, delete.
 */
public abstract class EventStreamContract {
  protected static final Duration WAIT = Duration.ofSeconds(10);
  protected EventStream stream;
  protected String thread;

  protected abstract EventStream newStream();

  @BeforeEach
  void open() {
    stream = newStream();
    thread = "job-" + UUID.randomUUID();
  }

  @AfterEach
  void closeStream() {
    stream.delete(thread);
    stream.close();
  }

  protected static AgentEvent numbered(int n) {
    return new AgentEvent(AgentEvent.STATE_UPDATE, Json.object().put("n", n));
  }

  protected List<String> publishNumbered(int count) {
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < count; n++) ids.add(stream.publish(thread, numbered(n)));
    return ids;
  }

  private static List<Integer> upToEnd(int from, int count) {
    List<Integer> expected = new ArrayList<>(IntStream.range(from, count).boxed().toList());
    expected.add(-1);
    return expected;
  }

  @Test
  void publishReturnsDistinctIdsThatFollowersSeeInOrder() throws Exception {
    List<String> ids = publishNumbered(5);
    stream.publish(thread, AgentEvent.end());
    var collector = new EventCollector();
    try (var sub = stream.follow(thread, null, collector)) {
      List<StreamedEvent> events = collector.awaitEnd(WAIT);
      assertThat(ids).doesNotHaveDuplicates();
      assertThat(events.subList(0, 5)).extracting(StreamedEvent::id).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void lateJoinAfterEndGetsEveryEventOnceInOrderEndingWithEnd() throws Exception {
    publishNumbered(20);
    stream.publish(thread, AgentEvent.end());
    var collector = new EventCollector();
    try (var sub = stream.follow(thread, null, collector)) {
      collector.awaitEnd(WAIT);
      assertThat(collector.numbers()).containsExactlyElementsOf(upToEnd(0, 20));
    }
  }

  @Test
  void followerStartingMidwayGetsNoGapAndNoDuplicateAtTheLiveBoundary() throws Exception {
    int total = 500;
    var late = new EventCollector();
    var early = new EventCollector();
    EventStream.Subscription lateSub = null;
    try (var earlySub = stream.follow(thread, null, early)) {
      for (int n = 0; n < total; n++) {
        stream.publish(thread, numbered(n));
        if (n == total / 2) lateSub = stream.follow(thread, null, late);
      }
      stream.publish(thread, AgentEvent.end());
      early.awaitEnd(WAIT);
      late.awaitEnd(WAIT);
      assertThat(early.numbers()).containsExactlyElementsOf(upToEnd(0, total));
      assertThat(late.numbers()).containsExactlyElementsOf(upToEnd(0, total));
    } finally {
      if (lateSub != null) lateSub.close();
    }
  }

  @Test
  void followAfterAnIdResumesRightAfterIt() throws Exception {
    List<String> ids = publishNumbered(10);
    stream.publish(thread, AgentEvent.end());
    var collector = new EventCollector();
    try (var sub = stream.follow(thread, ids.get(6), collector)) {
      collector.awaitEnd(WAIT);
      assertThat(collector.numbers()).containsExactlyElementsOf(upToEnd(7, 10));
    }
  }

  @Test
  void closedFollowGetsNothingMore() throws Exception {
    var collector = new EventCollector();
    var sub = stream.follow(thread, null, collector);
    stream.publish(thread, numbered(0));
    awaitSize(collector, 1);
    sub.close();
    Thread.sleep(100);
    stream.publish(thread, numbered(1));
    stream.publish(thread, AgentEvent.end());
    Thread.sleep(300);
    assertThat(collector.numbers()).containsExactly(0);
  }

  @Test
  void deleteDropsTheHistory() throws Exception {
    publishNumbered(3);
    stream.delete(thread);
    stream.publish(thread, numbered(42));
    stream.publish(thread, AgentEvent.end());
    var collector = new EventCollector();
    try (var sub = stream.follow(thread, null, collector)) {
      collector.awaitEnd(WAIT);
      assertThat(collector.numbers()).containsExactly(42, -1);
    }
  }

  protected static void awaitSize(EventCollector collector, int size) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (collector.size() < size && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(collector.size()).isGreaterThanOrEqualTo(size);
  }
}
