package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.store.MemoryJobStore;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ResultOutboxTest {
  private final MemoryJobStore jobs = new MemoryJobStore(new MemoryCheckpointer());
  private final List<String> published = new ArrayList<>();
  private volatile boolean natsDown;
  private final ResultPublisher nats =
      (jobId, event) -> {
        if (natsDown) throw new BackendUnavailableException("nats", "disconnected", null);
        published.add(jobId);
      };
  private final ResultOutbox outbox =
      new ResultOutbox(jobs, nats, new ResultWaiters(), Duration.ofSeconds(1), Clock.systemUTC());

  private CloudEvent store(String jobId, Instant endedAt) {
    CloudEvent event = ResultEvents.completed(jobId, "done", null, TraceContext.fresh());
    jobs.save(
        new JobRecord(
            jobId,
            "t",
            JobStatus.COMPLETED,
            endedAt,
            endedAt,
            ResultEvents.toJsonNode(event),
            null));
    return event;
  }

  @Test
  void resultsNatsMissedArePublishedOldestFirstOnceItIsBack() {
    Instant old = Instant.now().minusSeconds(60);
    CloudEvent second = store("job-2", old.plusSeconds(2));
    CloudEvent first = store("job-1", old);
    natsDown = true;
    assertThatThrownBy(() -> outbox.publisher().publish("job-2", second))
        .isInstanceOf(BackendUnavailableException.class);
    assertThatThrownBy(outbox::relayOnce).isInstanceOf(BackendUnavailableException.class);

    natsDown = false;
    assertThat(outbox.relayOnce()).isEqualTo(2);
    assertThat(published).containsExactly("job-1", "job-2");
    assertThat(outbox.relayOnce()).as("marked published: nothing sent twice").isZero();
    assertThat(first.getId()).isNotEqualTo(second.getId());
  }

  @Test
  void aConfirmedPublishTakesTheResultOutOfTheOutboxAndAFreshResultWaitsForItsRunner() {
    CloudEvent event = store("job-1", Instant.now().minusSeconds(60));
    outbox.publisher().publish("job-1", event);
    outbox.flushMarks();
    store("job-fresh", Instant.now());

    assertThat(outbox.relayOnce()).isZero();
    assertThat(published).containsExactly("job-1");
  }

  @Test
  void aWaitingCallGetsTheResultEvenWhenItCannotBePublished() throws Exception {
    CloudEvent event = store("job-1", Instant.now());
    CompletableFuture<CloudEvent> waiting = outbox.waiters().await("job-1");
    natsDown = true;

    assertThatThrownBy(() -> outbox.publisher().publish("job-1", event))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(waiting.get().getId()).isEqualTo(event.getId());
  }
}
