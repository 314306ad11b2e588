package dev.agentexecutor.ingress.nats;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.ParsedJob;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.observability.LogContext;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.runner.Caller;
import dev.agentexecutor.runner.JobCancels;
import dev.agentexecutor.runner.JobExecutor;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.runner.ThreadAdmin;
import dev.agentexecutor.util.Backoff;
import io.micrometer.core.instrument.Counter;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls jobs from the durable JetStream consumer, only as many as there are free job slots, runs
 * each on a virtual thread through the {@link JobExecutor} and settles the message from the
 * outcome: ack when the result is published, term when invalid, nak with a delay to retry. A cancel
 * request on the same subjects is handed to {@link JobCancels} and acked.
 */
public final class JetStreamWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JetStreamWorker.class);

  /** Longest wait of one pull; bounds how quickly the loop notices a drain. */
  static final Duration POLL_WAIT = Duration.ofSeconds(1);

  /** Redelivery delays double at most this often (NATS_NAK_DELAY_SECONDS × 1024). */
  private static final int MAX_NAK_DOUBLINGS = 10;

  /** The loop is alive when it iterated this recently (for /ready). */
  static final Duration ALIVE_WITHIN = Duration.ofSeconds(10);

  private final NatsConnector connector;
  private final JobExecutor executor;
  private final JobCancels cancels;
  private final Metrics metrics;
  private final Counter pollErrors;
  private final JobParser parser;
  private final String streamName;
  private final String consumerName;
  private final Duration ackWait;
  private final int maxDeliver;

  /** How often a queued job at its last delivery asks for its thread's turn again. */
  private static final Duration QUEUED_POLL = Duration.ofMillis(200);

  private final Duration nakDelay;
  private final Backoff redelivery;
  private final int maxConcurrentJobs;
  private final Semaphore slots;
  private final ScheduledExecutorService heartbeats;
  private final Set<JobRun> running = ConcurrentHashMap.newKeySet();
  private final CountDownLatch pollerDone = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile long lastIterationNanos = System.nanoTime();

  /** How often the loop asks the server whether its consumer still exists. */
  static final Duration CONSUMER_CHECK_INTERVAL = Duration.ofSeconds(3);

  private long lastConsumerCheckNanos = System.nanoTime();

  /** When the current run of poll failures began; 0 while polls succeed. */
  private volatile long failingSinceNanos;

  private volatile JetStreamSubscription subscription;
  private Thread poller;

  /** A job running on its own thread, with the delivery it settles. */
  private record JobRun(Delivery delivery, Thread thread) {}

  /** A worker that runs jobs and takes no cancel requests (they are acked as unknown jobs). */
  public JetStreamWorker(
      NatsConnector connector, JobParser parser, JobExecutor executor, Metrics metrics) {
    this(
        connector,
        parser,
        executor,
        (jobId, caller) -> new ThreadAdmin.Cancel(ThreadAdmin.Cancel.Kind.NOT_FOUND, null),
        metrics);
  }

  public JetStreamWorker(
      NatsConnector connector,
      JobParser parser,
      JobExecutor executor,
      JobCancels cancels,
      Metrics metrics) {
    var settings = connector.settings();
    this.connector = connector;
    this.executor = executor;
    this.cancels = cancels;
    this.metrics = metrics;
    this.pollErrors =
        Counter.builder("agent_executor_nats_poll_errors")
            .description("Failed iterations of the NATS poll loop (it backs off and goes on)")
            .register(metrics.registry());
    this.parser = parser;
    this.streamName = settings.streamName();
    this.consumerName = settings.consumerName();
    this.ackWait = settings.ackWait();
    this.maxDeliver = settings.maxDeliver();
    this.nakDelay = settings.nakDelay();
    this.redelivery = Backoff.of(nakDelay, nakDelay.multipliedBy(1L << MAX_NAK_DOUBLINGS));
    this.maxConcurrentJobs = settings.maxConcurrentJobs();
    this.slots = new Semaphore(maxConcurrentJobs);
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("nats-worker-in-progress").daemon().factory());
  }

  /** Starts the poll loop on thread {@code nats-worker-poll}; it waits for the connector. */
  public synchronized JetStreamWorker start() {
    if (poller == null) {
      poller = Thread.ofPlatform().name("nats-worker-poll").daemon().start(this::pollLoop);
    }
    return this;
  }

  /**
   * The poll loop is healthy (for /ready): it runs, iterated within the last {@link #ALIVE_WITHIN},
   * and has not been failing for that long.
   */
  public boolean isAlive() {
    Thread loop = poller;
    long now = System.nanoTime();
    long failingSince = failingSinceNanos;
    return loop != null
        && loop.isAlive()
        && !stopping
        && now - lastIterationNanos < ALIVE_WITHIN.toNanos()
        && (failingSince == 0 || now - failingSince < ALIVE_WITHIN.toNanos());
  }

  /** Jobs running now. */
  public int runningJobs() {
    return running.size();
  }

  // ---- poll loop ----

  private void pollLoop() {
    long failures = 0;
    try {
      while (!stopping) {
        lastIterationNanos = System.nanoTime();
        try {
          verifyConsumerNowAndThen();
          if (subscription == null) subscription = subscribe();
          if (subscription != null) pollOnce(subscription);
          failures = 0;
          failingSinceNanos = 0;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // close(): stop at once
          return;
        } catch (Exception e) { // the loop must outlive any failure
          pollErrors.increment();
          if (failures == 0) failingSinceNanos = System.nanoTime();
          if (failures++ == 0 || failures % 10 == 0)
            log.warn("NATS poll failed (attempt {}): {}", failures, e.toString());
          dropSubscription();
          if (!pause(NatsConnector.backoff(failures))) return;
        }
      }
    } finally {
      nakBuffered();
      pollerDone.countDown();
    }
  }

  /**
   * Every {@link #CONSUMER_CHECK_INTERVAL}, since a pull on a deleted consumer fails silently and
   * binding to one fails until it is created again (which the check does).
   */
  private void verifyConsumerNowAndThen() throws Exception {
    if (System.nanoTime() - lastConsumerCheckNanos < CONSUMER_CHECK_INTERVAL.toNanos()) return;
    if (subscription == null && !connector.isReady())
      return; // not connected yet: subscribe() waits for it
    lastConsumerCheckNanos = System.nanoTime();
    connector.verifyConsumer();
  }

  private JetStreamSubscription subscribe() throws Exception {
    if (!connector.awaitReady(POLL_WAIT)) return null;
    return connector
        .jetStream()
        .subscribe(null, PullSubscribeOptions.bind(streamName, consumerName));
  }

  /**
   * Reserves free slots, pulls that many messages and dispatches each as it arrives. A slot is
   * handed to a message only through {@link #dispatch}, which returns it on every path, and the
   * slots no message took are returned here: no input can make a slot disappear.
   */
  private void pollOnce(JetStreamSubscription sub) throws InterruptedException {
    if (!slots.tryAcquire(POLL_WAIT.toNanos(), TimeUnit.NANOSECONDS)) return;
    int reserved = 1 + slots.drainPermits();
    int handedOver = 0;
    try {
      sub.pullExpiresIn(reserved, POLL_WAIT);
      long deadline = System.nanoTime() + POLL_WAIT.plusMillis(100).toNanos();
      while (handedOver < reserved) {
        long left = deadline - System.nanoTime();
        Message message = left > 0 ? sub.nextMessage(Duration.ofNanos(left)) : null;
        if (message == null) break; // the pull expired with fewer messages
        handedOver++;
        dispatch(message, new Slot(slots));
      }
    } finally {
      slots.release(reserved - handedOver);
    }
  }

  private void dropSubscription() {
    JetStreamSubscription sub = subscription;
    subscription = null;
    if (sub == null) return;
    try {
      sub.unsubscribe();
    } catch (RuntimeException e) {
      log.debug("unsubscribe failed: {}", e.toString());
    }
  }

  /** Messages that reached us after intake stopped go back at once, for another worker. */
  private void nakBuffered() {
    JetStreamSubscription sub = subscription;
    if (sub == null) return;
    boolean interrupted = Thread.interrupted();
    try {
      for (Message m = sub.nextMessage((Duration) null);
          m != null;
          m = sub.nextMessage((Duration) null)) {
        new Delivery(m).nak();
      }
    } catch (Exception e) {
      log.debug("could not nak buffered messages: {}", e.toString());
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private boolean pause(Duration duration) {
    try {
      Thread.sleep(duration);
      return !stopping;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ---- one job ----

  /** A message as read: a job, or why it is not one. */
  /**
   * @param resumeTaken a resume whose continuation the replica that queued it took already ({@link
   *     NatsJobQueue#RESUME_TAKEN_HEADER}): continued like a redelivered one
   */
  private record Received(Delivery delivery, ParsedJob parsed, boolean resumeTaken) {
    String jobId() {
      return parsed.jobId();
    }

    TraceContext trace() {
      return parsed.trace();
    }
  }

  /** Starts the message's job on its own thread, which owns {@code slot}; never throws. */
  private void dispatch(Message message, Slot slot) {
    Delivery delivery = new Delivery(message);
    boolean started = false;
    try {
      if (stopping) {
        delivery.nak();
        return;
      }
      Received received = read(delivery);
      String name = "job-" + (received.jobId() == null ? "invalid" : received.jobId());
      Thread thread = Thread.ofVirtual().name(name).unstarted(() -> runJob(received, slot));
      JobRun run = new JobRun(delivery, thread);
      running.add(run);
      try {
        thread.start();
        started = true;
      } finally {
        if (!started) running.remove(run);
      }
    } catch (RuntimeException | Error e) {
      log.error("could not start a job for a message; it is nak'ed for redelivery", e);
      nakQuietly(delivery);
    } finally {
      if (!started) slot.release();
    }
  }

  private void nakQuietly(Delivery delivery) {
    try {
      delivery.nakWithDelay(nakDelay);
    } catch (RuntimeException e) {
      log.warn("nak failed: {}", e.toString());
    }
  }

  /**
   * A message as read: a job, or why it is not one. Whatever the bytes, this returns (the parser
   * turns every failure into problems): a message is invalid, never a lost slot.
   */
  private Received read(Delivery delivery) {
    Message message = delivery.message();
    Map<String, String> headers = lowerCaseHeaders(message.getHeaders());
    byte[] body = message.getData() == null ? new byte[0] : message.getData();
    return new Received(
        delivery,
        parser.cloudEvent(headers, body),
        "true".equals(headers.get(NatsJobQueue.RESUME_TAKEN_HEADER.toLowerCase(Locale.ROOT))));
  }

  private void runJob(Received received, Slot slot) {
    Delivery delivery = received.delivery();
    long period = Math.max(100, ackWait.toMillis() / 3);
    ScheduledFuture<?> heartbeat =
        heartbeats.scheduleAtFixedRate(delivery::inProgress, period, period, TimeUnit.MILLISECONDS);
    try (LogContext ignored = LogContext.of(received.trace().traceId(), received.jobId())) {
      switch (received.parsed()) {
        case ParsedJob.Valid valid -> settle(delivery, execute(received, valid.job()));
        case ParsedJob.OverLimits over -> settle(delivery, reject(received, over.problem()));
        case ParsedJob.Invalid invalid -> settle(delivery, reject(received, invalid.problem()));
        case ParsedJob.Cancel request -> cancel(delivery, request);
        // A resume runs the parked job in this message's slot; a redelivery may continue one
        // whose resume won before a crash.
        case ParsedJob.Resume resume ->
            settle(
                delivery,
                executor.resume(
                    resume.request(),
                    received.resumeTaken() || received.delivery().deliveredCount() > 1));
      }
    } catch (RuntimeException
        | Error e) { // the executor promises outcomes; retry if it broke that promise
      if (stopping) log.info("job {} stopped by shutdown: {}", received.jobId(), e.toString());
      else
        log.error(
            "job {} threw instead of returning an outcome; retrying later", received.jobId(), e);
      delivery.nakWithDelay(nakDelay);
    } finally {
      heartbeat.cancel(false);
      running.removeIf(run -> run.delivery() == delivery);
      slot.release();
    }
  }

  private Outcome execute(Received received, Job job) {
    Outcome outcome = executor.execute(job);
    // A job queued behind another run of its thread is nak'ed to ask again later, which frees its
    // slot; at its last delivery the server would not deliver it again, so it waits here for its
    // turn instead (the heartbeat keeps the message in progress).
    while (outcome instanceof Outcome.Queued && !stopping && isLastDelivery(received.delivery())) {
      try {
        Thread.sleep(QUEUED_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      outcome = executor.execute(job);
    }
    // A job abandoned by this worker's shutdown is not given up: it did not fail, it was stopped.
    if (outcome instanceof Outcome.Retry retry
        && !stopping
        && isLastDelivery(received.delivery())) {
      log.warn(
          "job {} still cannot run after {} deliveries ({}); giving up",
          received.jobId(),
          maxDeliver,
          retry.reason());
      metrics.natsMessageFailed();
      return givenUp(received, job, retry.reason());
    }
    return outcome;
  }

  /**
   * Records and publishes the failed result of a job given up on. While the job store is down it
   * cannot be recorded, and this is the message's last delivery: it is tried again, holding the
   * slot, until it is recorded or the worker stops, because a job without a final record would look
   * "running" for ever.
   */
  private Outcome givenUp(Received received, Job job, String reason) {
    String why = "gave up after %d deliveries: %s".formatted(maxDeliver, reason);
    Outcome outcome = executor.giveUp(received.jobId(), job.tenant(), received.trace(), why);
    for (long attempt = 1; outcome instanceof Outcome.Retry retry && !stopping; attempt++) {
      Duration delay = NatsConnector.backoff(attempt).plus(nakDelay);
      log.warn(
          "the failed result of job {} cannot be stored yet ({}); again in {} ms",
          received.jobId(),
          retry.reason(),
          delay.toMillis());
      if (!pause(delay)) break;
      outcome = executor.giveUp(received.jobId(), job.tenant(), received.trace(), why);
    }
    return outcome;
  }

  private Outcome reject(Received received, InvalidJobException invalid) {
    log.warn(
        "invalid job message on {} (job id {}): {}",
        received.delivery().message().getSubject(),
        invalid.jobId(),
        invalid.getMessage());
    metrics.natsMessageFailed();
    Outcome outcome = executor.reject(invalid, received.trace());
    if (outcome instanceof Outcome.Retry && isLastDelivery(received.delivery())) {
      // Its failed event could not be published, and the server will not deliver it again.
      log.error("invalid message for job {} dropped without a failed event", invalid.jobId());
      return new Outcome.Rejected(invalid.jobId(), null, invalid.getMessage());
    }
    return outcome;
  }

  /**
   * A cancel request, for the job wherever it runs (the event's tenant must own it): acked once
   * handled, whatever the job's state (not running, unknown: nothing to do); nak'ed with the outage
   * backoff when a backend cannot be reached, and given up (termed) on the last delivery.
   */
  private void cancel(Delivery delivery, ParsedJob.Cancel request) {
    try {
      ThreadAdmin.Cancel result = cancels.cancel(request.jobId(), Caller.tenant(request.tenant()));
      log.info(
          "cancel request for job {}: {}",
          request.jobId(),
          switch (result.kind()) {
            case CANCELLING -> "cancelling";
            case NOT_RUNNING -> "not running (" + result.status() + "), nothing to cancel";
            case NOT_FOUND -> "no such job of tenant " + request.tenant() + ", nothing to cancel";
          });
      handled(delivery::ack);
    } catch (BackendUnavailableException e) {
      if (isLastDelivery(delivery)) {
        log.error("cancel request for job {} given up: {}", request.jobId(), e.getMessage());
        metrics.natsMessageFailed();
        delivery.term();
      } else {
        log.warn("cancel request for job {} will be retried: {}", request.jobId(), e.getMessage());
        delivery.nakWithDelay(outageBackoff(delivery));
      }
    }
  }

  private boolean isLastDelivery(Delivery delivery) {
    return delivery.deliveredCount() >= maxDeliver;
  }

  /** The outcome decides: the result is published before any ack (the executor saw to it). */
  private void settle(Delivery delivery, Outcome outcome) {
    switch (outcome) {
      case Outcome.Completed c -> handled(delivery::ack);
      case Outcome.Failed f -> handled(delivery::ack);
      case Outcome.Cancelled c -> handled(delivery::ack);
      case Outcome.Interrupted i -> handled(delivery::ack); // a parked job holds no message
      case Outcome.Ignored i -> handled(delivery::ack);
      case Outcome.Rejected r -> handled(delivery::term);
      case Outcome.Retry retry -> {
        // Stopping: another worker takes it at once. Otherwise a backend is down: back off.
        if (stopping) delivery.nak();
        else delivery.nakWithDelay(outageBackoff(delivery));
      }
      case Outcome.AlreadyRunning a -> delivery.nakWithDelay(nakDelay);
      case Outcome.OtherTenant o ->
          handled(delivery::term); // another tenant's job id: never ours to run
      case Outcome.Refused r -> handled(delivery::term); // its failed event says why
      case Outcome.Queued q -> delivery.nakWithDelay(nakDelay); // asks for its turn again then
    }
  }

  private void handled(Runnable settlement) {
    settlement.run();
    metrics.natsMessageProcessed();
  }

  /**
   * The delay before an outage-struck job is tried again: NATS_NAK_DELAY_SECONDS doubled with each
   * delivery (5, 10, 20, 40 s by default), so that NATS_MAX_DELIVER deliveries span a database
   * failover rather than a few seconds of it. The backoff's ceiling, without jitter: the schedule
   * is documented, and the server spreads redeliveries by their own arrival times.
   */
  Duration outageBackoff(Delivery delivery) {
    return redelivery.ceiling(delivery.deliveredCount());
  }

  private static Map<String, String> lowerCaseHeaders(Headers headers) {
    Map<String, String> map = new HashMap<>();
    if (headers == null) return map;
    for (String key : headers.keySet()) {
      String value = headers.getFirst(key);
      if (value != null) map.put(key.toLowerCase(Locale.ROOT), value);
    }
    return map;
  }

  // ---- shutdown ----

  /**
   * Stops intake: no message is fetched any more, and those already buffered go back at once for
   * another worker. Running jobs go on; {@link #drain} settles them.
   */
  public void stopIntake() {
    stopping = true;
    stopPoller(System.nanoTime() + POLL_WAIT.plusMillis(200).toNanos());
  }

  /**
   * Stops fetching, lets running jobs finish until the timeout, then naks the ones still running
   * (so another worker takes them at once) and unsubscribes. True when every job finished.
   */
  public boolean drain(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    stopping = true;
    stopPoller(deadline);
    boolean finished = awaitJobs(deadline);
    if (!finished) {
      for (JobRun run : running) {
        log.warn("{} still running at shutdown; nak'ed for another worker", run.thread().getName());
        run.delivery().nak();
        run.thread().interrupt();
      }
    }
    heartbeats.shutdownNow();
    dropSubscription();
    return finished;
  }

  private void stopPoller(long deadline) {
    Thread loop = poller;
    if (loop == null) return;
    try {
      // The loop finishes its current pull (at most POLL_WAIT) so late messages are nak'ed too.
      if (!pollerDone.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        loop.interrupt();
        pollerDone.await(POLL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitJobs(long deadline) {
    try {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!slots.tryAcquire(maxConcurrentJobs, left, TimeUnit.NANOSECONDS)) return false;
      slots.release(maxConcurrentJobs);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Immediate stop: running jobs are nak'ed and interrupted. */
  @Override
  public void close() {
    drain(Duration.ZERO);
  }
}
