package dev.agentexecutor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A follow listener that records what it gets and lets a test wait for the end event. */
public final class EventCollector implements Consumer<StreamedEvent> {
  private final List<StreamedEvent> events = new ArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  @Override
  public synchronized void accept(StreamedEvent event) {
    events.add(event);
    if (event.event().isEnd()) ended.countDown();
  }

  public synchronized List<StreamedEvent> events() {
    return List.copyOf(events);
  }

  public synchronized int size() {
    return events.size();
  }

  public List<StreamedEvent> awaitEnd(Duration timeout) throws InterruptedException {
    assertThat(ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("end event within %s; got %d events", timeout, size())
        .isTrue();
    return events();
  }

  /** The "n" numbers carried by the events, with -1 for the end event. */
  public List<Integer> numbers() {
    return events().stream()
        .map(e -> e.event().isEnd() ? -1 : e.event().data().path("n").asInt())
        .toList();
  }
}
