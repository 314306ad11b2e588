package dev.agentexecutor.runner;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.publish.ResultPublisher;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStore;
import dev.agentexecutor.store.PublishedResult;
import dev.agentexecutor.util.Backoff;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result outbox. Every result event is stored with its job before it is published; {@link
 * #publisher()} records each publish the backend confirmed (in batches, off the job's path) and
 * hands each result to the HTTP calls waiting for it. The relay thread publishes the stored results
 * that were never confirmed (NATS was down when their job ended), oldest first, in bounded batches,
 * backing off while the publisher is unavailable. A result published twice (relay and runner, two
 * replicas' relays) is dropped by the publisher's deduplication ({@code Nats-Msg-Id}).
 */
public final class ResultOutbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);

  /** Most results one relay round publishes; a full batch is followed by the next at once. */
  static final int BATCH = 100;

  /**
   * Results younger than this are left to the runner that is publishing them right now (a publish
   * waits at most 5 s for its ack).
   */
  static final Duration GRACE = Duration.ofSeconds(10);

  /** How often confirmed publishes are written to the job store. */
  static final Duration MARK_INTERVAL = Duration.ofMillis(200);

  private final JobStore jobs;
  private final ResultPublisher delegate;
  private final ResultWaiters waiters;
  private final Duration interval;
  private final Clock clock;
  private final Backoff backoff;
  private final ConcurrentLinkedQueue<PublishedResult> confirmed = new ConcurrentLinkedQueue<>();
  private final ResultPublisher publisher = new Recording();
  private Thread relay;
  private volatile boolean closed;

  /**
   * @param interval how often the relay looks for unpublished results (and its shortest backoff)
   */
  public ResultOutbox(
      JobStore jobs,
      ResultPublisher delegate,
      ResultWaiters waiters,
      Duration interval,
      Clock clock) {
    this.jobs = jobs;
    this.delegate = delegate;
    this.waiters = waiters;
    this.interval = interval;
    this.clock = clock;
    this.backoff = Backoff.of(interval, interval.multipliedBy(6).plusSeconds(30));
  }

  /** The publisher the runner uses: the backend's, recording confirmations and telling waiters. */
  public ResultPublisher publisher() {
    return publisher;
  }

  public ResultWaiters waiters() {
    return waiters;
  }

  private final class Recording implements ResultPublisher {
    @Override
    public void publish(String jobId, CloudEvent result) {
      try {
        delegate.publish(jobId, result);
        if (jobId != null) confirmed.add(new PublishedResult(jobId, result.getId()));
      } finally {
        // The result is stored (or the job is rejected): the caller's answer does not wait for
        // NATS.
        waiters.deliver(jobId, result);
      }
    }

    /** A refusal has no stored result to confirm: only the caller waiting for it is told. */
    @Override
    public void publishRefusal(String jobId, CloudEvent refusal) {
      try {
        delegate.publishRefusal(jobId, refusal);
      } finally {
        waiters.deliver(jobId, refusal);
      }
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Starts the relay thread {@code result-outbox}; {@link #close()} stops it. */
  public synchronized ResultOutbox start() {
    if (relay == null && !closed)
      relay = Thread.ofVirtual().name("result-outbox").start(this::relayLoop);
    return this;
  }

  private void relayLoop() {
    long failures = 0;
    long nextRelay = System.nanoTime() + interval.toNanos();
    while (!closed) {
      try {
        Thread.sleep(MARK_INTERVAL);
      } catch (InterruptedException e) {
        break;
      }
      try {
        flushMarks();
        if (System.nanoTime() - nextRelay < 0) continue;
        int published = relayOnce();
        failures = 0;
        nextRelay = System.nanoTime() + (published == BATCH ? 0 : interval.toNanos());
      } catch (BackendUnavailableException e) {
        failures++;
        Duration delay = backoff.delay(failures);
        if (failures == 1 || failures % 10 == 0)
          log.warn("result outbox waits {} ms: {}", delay.toMillis(), e.getMessage());
        nextRelay = System.nanoTime() + Math.max(delay.toNanos(), interval.toNanos());
      } catch (RuntimeException e) {
        failures++;
        log.error("result outbox round failed", e);
        nextRelay = System.nanoTime() + backoff.delay(failures).toNanos();
      }
    }
    try {
      flushMarks();
    } catch (RuntimeException e) {
      log.debug("last publish marks not written: {}", e.toString());
    }
  }

  /** Writes the confirmed publishes to the job store, in one statement. */
  void flushMarks() {
    List<PublishedResult> batch = new ArrayList<>();
    for (PublishedResult next = confirmed.poll(); next != null; next = confirmed.poll())
      batch.add(next);
    if (batch.isEmpty()) return;
    try {
      jobs.markPublished(batch);
    } catch (RuntimeException e) {
      confirmed.addAll(batch); // written with the next flush
      throw e;
    }
  }

  /**
   * One relay round: publishes up to {@link #BATCH} stored results without a confirmed publish,
   * oldest first, and returns how many it published. Stops at the first publish the backend refuses
   * (it is down: the rest wait for the next round).
   */
  int relayOnce() {
    List<JobRecord> due = jobs.unpublishedResults(clock.instant().minus(GRACE), BATCH);
    int published = 0;
    for (JobRecord record : due) {
      CloudEvent event;
      try {
        event = ResultEvents.fromJson(record.resultEvent());
        publisher.publish(record.jobId(), event);
      } catch (BackendUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // A stored event no publisher takes would block the outbox for ever: log it and move on.
        log.error(
            "stored result of job {} cannot be published; left out of the outbox",
            record.jobId(),
            e);
        confirmed.add(
            new PublishedResult(record.jobId(), record.resultEvent().path("id").asText()));
        continue;
      }
      published++;
      log.info("result of job {} published from the outbox", record.jobId());
    }
    flushMarks();
    return published;
  }

  /** Stops the relay (a round in progress ends at its next publish) and writes pending marks. */
  @Override
  public void close() {
    Thread thread;
    synchronized (this) {
      closed = true;
      thread = relay;
    }
    if (thread == null) return;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
