package dev.agentexecutor.app;

import dev.agentexecutor.runner.JobRunner;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order the service stops in, as Temporal's worker does: stop intake (job routes answer 503,
 * the NATS worker fetches nothing more), wait for running jobs with one deadline, abandon what
 * still runs through its run control and join it, let the NATS worker settle its messages, then
 * close everything in reverse order of opening.
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private final List<Runnable> stopIntake;
  private final JobRunner runner;
  private final Duration drainTimeout;
  private final Runnable settleMessages;
  private final Resources resources;

  Shutdown(
      List<Runnable> stopIntake,
      JobRunner runner,
      Duration drainTimeout,
      Runnable settleMessages,
      Resources resources) {
    this.stopIntake = List.copyOf(stopIntake);
    this.runner = runner;
    this.drainTimeout = drainTimeout;
    this.settleMessages = settleMessages;
    this.resources = resources;
  }

  void run() {
    stopIntake.forEach(Runnable::run);
    boolean drained = runner.shutdown(drainTimeout);
    log.info(
        drained
            ? "running jobs finished"
            : "drain timeout ({}) reached: unfinished jobs were abandoned for a later resume",
        drainTimeout);
    settleMessages.run();
    resources.close();
  }
}
